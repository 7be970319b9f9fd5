"""allauth's own strings that Samhus says in its own words: each msgid here is
allauth's, written out so that makemessages puts it in Samhus's catalogue,
whose translation (LOCALE_PATHS) wins over allauth's. Danish is the reason:
allauth's Danish says "Loggede succesfuldt ind med …" and "Password ændret
med success." (tests/centre/test_account_words.py renders them).

The password-reset mail itself is Samhus's (templates/account/email/): its
subject and greeting carry the house's name."""

from django.utils.translation import gettext_noop

ACCOUNT_WORDS = [
    # The messages shown after signing in and out and changing a password.
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Password successfully set."),
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("Primary email address set."),
    gettext_noop("Your primary email address must be verified."),
    # The pages of signing out and of a new password.
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Change Password"),
    gettext_noop("Password Reset"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an "
        "email allowing you to reset it."
    ),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam "
        "folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop("Bad Token"),
    gettext_noop(
        "The password reset link was invalid, possibly because it has already been used.  "
        'Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    gettext_noop("Your password is now changed."),
    # The mails about a change to one's account.
    gettext_noop(
        "You are receiving this mail because the following change was made to your account:"
    ),
    gettext_noop(
        "If you do not recognize this change then please take proper security precautions "
        "immediately. The change to your account originates from:\n\n- IP address: %(ip)s\n"
        "- Browser: %(user_agent)s\n- Date: %(timestamp)s"
    ),
    gettext_noop("Password Changed"),
    gettext_noop("Your password has been changed."),
    gettext_noop("Your password has been reset."),
    gettext_noop("Password Set"),
    gettext_noop("Your password has been set."),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Email Changed"),
    gettext_noop("Email Removed"),
    gettext_noop("Your email has been confirmed."),
]
