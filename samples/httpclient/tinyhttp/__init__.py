"""tinyhttp -- a tiny HTTP/1.1 client on top of the socket module.

    >>> import tinyhttp
    >>> response = tinyhttp.get('http://localhost:8080/status', params={'q': 1})
    >>> response.status, response.json()
"""
from tinyhttp.client import Client, Response, get, post, VERSION
from tinyhttp.cookies import CookieJar
from tinyhttp.errors import HTTPError, ConnectionError, Timeout, \
    ProtocolError, TooManyRedirects, StatusError
from tinyhttp.headers import Headers

__version__ = VERSION
