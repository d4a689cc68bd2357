# -*- coding: utf-8 -*-
"""Reading request bodies: urlencoded forms and multipart uploads."""

import re
import urlparse
import StringIO

CHUNK_SIZE = 8192
MAX_BODY = 4 * 1024 * 1024

_boundary_re = re.compile(r'boundary="?([^";]+)"?')
_disposition_re = re.compile(r'(\w+)="([^"]*)"')


class FormError(Exception):
    pass


def read_body(environ):
    """Read exactly CONTENT_LENGTH bytes from wsgi.input."""
    try:
        remaining = int(environ.get('CONTENT_LENGTH') or 0)
    except ValueError:
        remaining = 0
    if remaining > MAX_BODY:
        raise FormError, 'request body too large (%d bytes)' % remaining
    stream = environ['wsgi.input']
    buf = StringIO.StringIO()
    while remaining > 0:
        chunk = stream.read(min(remaining, CHUNK_SIZE))
        if not chunk:
            break
        buf.write(chunk)
        remaining -= len(chunk)
    return buf.getvalue()


def parse_urlencoded(environ):
    """Decode an application/x-www-form-urlencoded body.

    Returns a dict mapping field name to the *last* unicode value sent.
    """
    body = read_body(environ)
    fields = urlparse.parse_qs(body, keep_blank_values=True)
    form = {}
    for name in ('name', 'qty', 'note', 'product_id', 'new_name'):
        if name in fields:
            form[name] = fields[name][-1].decode('utf-8')
    return form


def parse_query(environ):
    """The query string as a dict of unicode -> unicode (first value wins)."""
    args = urlparse.parse_qs(environ.get('QUERY_STRING', ''))
    result = {}
    for key, values in args.iteritems():
        result[key.decode('utf-8')] = values[0].decode('utf-8')
    return result


class Upload(object):
    """One file from a multipart/form-data request.

    ``filename`` is unicode, ``data`` holds the raw bytes of the file and
    ``content_type`` is the part's Content-Type exactly as the browser sent it.
    """

    def __init__(self, field, filename, content_type, data):
        self.field = field
        self.filename = filename
        self.content_type = content_type
        self.data = data

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        return '<Upload %r %d bytes>' % (self.filename, len(self.data))


def parse_multipart(environ):
    """Split a multipart/form-data body into text fields and uploads.

    Returns ``(fields, uploads)``: a dict of unicode values and a list of
    :class:`Upload` objects, in the order the browser sent them.
    """
    match = _boundary_re.search(environ.get('CONTENT_TYPE', ''))
    if match is None:
        raise FormError, 'multipart request without boundary'
    boundary = '--' + match.group(1)
    body = read_body(environ)
    fields = {}
    uploads = []
    for part in body.split(boundary)[1:]:
        if part.startswith('--'):
            break
        head, sep, data = part.partition('\r\n\r\n')
        if not sep:
            continue
        if data.endswith('\r\n'):
            data = data[:-2]
        headers = {}
        for line in head.strip().split('\r\n'):
            key, _, value = line.partition(':')
            headers[key.strip().lower()] = value.strip()
        disposition = dict(_disposition_re.findall(headers.get('content-disposition', '')))
        name = disposition.get('name', '').decode('utf-8')
        if disposition.has_key('filename'):
            filename = disposition['filename'].decode('utf-8')
            ctype = headers.get('content-type', 'application/octet-stream')
            uploads.append(Upload(name, filename, ctype, data))
        else:
            fields[name] = data.decode('utf-8')
    return fields, uploads


def is_multipart(environ):
    return environ.get('CONTENT_TYPE', '').startswith('multipart/form-data')
