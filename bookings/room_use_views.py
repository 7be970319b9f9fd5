"""Placeholder until written."""
from django.http import HttpResponse


def room_use(request):
    return HttpResponse(status=501)


def room_use_csv(request):
    return HttpResponse(status=501)
