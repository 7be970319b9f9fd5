"""The activity calendar: which bookings a visitor sees (query), how a page
shows them (render), the iCalendar and JSON feeds (ical, feeds) and the pages
(views). The HTML calendar and both feeds list the rows of `query.visible`,
so they agree for every filter and period."""
