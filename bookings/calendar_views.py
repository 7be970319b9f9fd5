"""Placeholder until written."""
from django.http import HttpResponse


def home(request):
    return HttpResponse(status=501)


calendar = feed_ics = feed_json = activity = activity_ics = home
