"""A hello-world Django view: the yardstick each portal page is measured against in benchmarks/pages.py.

Served by gunicorn exactly as the portal is (`gunicorn benchmarks.hello:application`), so a ratio of 1.0 means the page
costs no more than Django answering at all on this machine, at this moment.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-only-hello-world",  # serves one constant page, locally
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
