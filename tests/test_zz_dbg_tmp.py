import pytest
from tests.test_permission_matrix import *  # noqa
from tests.test_permission_matrix import _allowed_persona

@pytest.mark.parametrize("name", ["actors:member-list","bookings:booking-create","bookings:series-readd","centre:centre-edit","collaboration:answer","collaboration:edit","collaboration:sharing-answer"])
def test_dbg(world, name):
    entry = MATRIX[name]
    persona = _allowed_persona(name)
    r = client_for(world, persona).post(url_of(name, world), entry.payload(world) if entry.payload else {})
    print("\n###", name, persona, r.status_code, r.get("Location"))
    if r.context:
        for k in ("form",):
            f = r.context.get(k)
            if f is not None: print("ERR", f.errors.as_json()[:800])
    from django.contrib.messages import get_messages
    for m in (r.wsgi_request._messages if hasattr(r.wsgi_request, "_messages") else []): print("MSG", m)
