"""Command line front end: python -m tinyhttp.cli [-i] [-v] [-X METHOD]
[-d DATA] [-H 'Name: value'] URL"""
import getopt
import sys

from tinyhttp.client import Client
from tinyhttp.errors import HTTPError


def dump_response(response):
    """Prints a response the way `curl -i` shows it, without the body;
    handy at the interactive prompt."""
    print '%s %d %s' % (response.version, response.status, response.reason)
    for name, value in response.headers.items():
        print '%s: %s' % (name, value)
    print
    print '(%d bytes of body)' % len(response.body)


def main(argv, out=sys.stdout):
    """usage: tinyhttp [-i] [-v] [-X METHOD] [-d DATA] [-H HEADER] URL"""
    try:
        opts, args = getopt.getopt(argv, 'ivX:d:H:')
    except getopt.GetoptError, e:
        print >>out, 'error: %s' % e
        print >>out, main.__doc__
        return 2
    if len(args) != 1:
        print >>out, main.__doc__
        return 2
    include = verbose = False
    method = None
    data = None
    headers = {}
    for opt, value in opts:
        if opt == '-i':
            include = True
        elif opt == '-v':
            verbose = True
        elif opt == '-X':
            method = value
        elif opt == '-d':
            data = value
        elif opt == '-H':
            name, sep, header_value = value.partition(':')
            headers[name.strip()] = header_value.strip()
    if method is None:
        method = data is None and 'GET' or 'POST'
    client = Client(debug=verbose)
    try:
        response = client.request(method, args[0], data=data,
                                  headers=headers)
    except HTTPError, e:
        print >>out, 'error: %s' % e
        return 1
    if include:
        print >>out, '%s %d %s' % (response.version, response.status,
                                   response.reason)
        for name, value in response.headers.items():
            print >>out, '%s: %s' % (name, value)
        print >>out
    print >>out, response.body
    if response:
        return 0
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
