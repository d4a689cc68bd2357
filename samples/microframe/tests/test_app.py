# -*- coding: utf-8 -*-
"""End-to-end tests: a small guestbook built on microframe."""
import json
import unittest

from microframe import (App, Response, Template, Markup, NotFound, BadRequest,
                        escape, redirect)
from microframe.response import check_signed_value
from microframe.testing import Client
from tests.helpers import make_environ, call

PAGE = Template(u'<!DOCTYPE html><title>%(title)s</title><h1>%(title)s</h1>%(content)s')
ENTRY = Template(u'<li>%(name)s: %(message)s</li>')


def make_guestbook(debug=False):
    app = App('guestbook', debug=debug, secret_key='t0ps3cret')
    entries = []

    @app.route('/')
    def index(request):
        items = ENTRY.render_each(entries)
        greeting = request.cookies.get(u'name', u'stranger')
        return PAGE.render(title=u'Gästebuch', content=Markup(u'<p>Hi %s</p><ul>%s</ul>' % (
            escape(greeting), items)))

    @app.route('/sign', methods=('POST',))
    def sign(request):
        name = request.form.get(u'name', u'').strip()
        message = request.form.get(u'message', u'').strip()
        if not name or not message:
            raise BadRequest(u'name and message are required')
        entries.append({'name': name, 'message': message})
        response = redirect(app.url_for('entry', name=name))
        response.set_cookie('name', name)
        return response

    @app.route('/entry/<name>', endpoint='entry')
    def show_entry(request, name):
        for entry in entries:
            if entry['name'] == name:
                return PAGE.render(title=name, content=ENTRY.render(**entry))
        raise NotFound(u'Niemand namens %s' % name)

    @app.route('/user/<int:user_id>')
    def user(request, user_id):
        return u'user %d (%s)' % (user_id, type(user_id).__name__)

    @app.route('/files/<path:filename>')
    def files(request, filename):
        response = Response(u'contents of %s' % filename, content_type='text/plain')
        response.attachment(filename.split(u'/')[-1])
        return response

    @app.route('/api/entries', methods=('GET', 'POST'))
    def api_entries(request):
        if request.method == 'POST':
            data = request.get_json()
            if not isinstance(data, dict) or not data.get('name'):
                raise BadRequest(u'expected {"name": ..., "message": ...}')
            entries.append({'name': data['name'], 'message': data.get('message', u'')})
            return {'ok': True, 'count': len(entries)}, 201
        return {'entries': entries, 'search': request.args.get(u'q')}

    @app.route('/login', methods=('POST',))
    def login(request):
        response = redirect(u'/me')
        response.set_signed_cookie('user', request.form[u'user'], app.secret_key)
        return response

    @app.route('/me')
    def me(request):
        signed = request.cookies.get(u'user')
        user = signed and check_signed_value(signed, app.secret_key)
        if not user:
            return u'not logged in', 403
        return u'logged in as %s' % user

    @app.route('/boom')
    def boom(request):
        raise ValueError('kaputt')

    @app.route('/nothing')
    def nothing(request):
        return 42

    @app.errorhandler(404)
    def not_found(request, error):
        return u'<p>Nichts hier: %s</p>' % escape(error.description)

    return app



class ClientTests(unittest.TestCase):

    def setUp(self):
        self.app = make_guestbook()
        self.client = Client(self.app)

    def test_index(self):
        response = self.client.get(u'/')
        self.assertEqual(response.status, '200 OK')
        self.assertEqual(response.get_header('Content-Type'), 'text/html; charset=utf-8')
        self.assertEqual(int(response.get_header('Content-Length')), len(response.data))
        self.assertTrue(b'<h1>G\xc3\xa4stebuch</h1>' in response.data)
        self.assertTrue(u'Hi stranger' in response.text)

    def test_sign_redirects_to_unicode_url_and_sets_cookie(self):
        response = self.client.post(u'/sign', data={'name': u'Zoë 日本', 'message': u'Très bien 🚀'})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response.get_header('Location'), '/entry/Zo%C3%AB%20%E6%97%A5%E6%9C%AC')
        self.assertEqual(self.client.cookies['name'], 'Zo%C3%AB%20%E6%97%A5%E6%9C%AC')
        page = self.client.get(u'/entry/Zoë 日本')
        self.assertEqual(page.status_code, 200)
        self.assertTrue(u'<li>Zoë 日本: Très bien 🚀</li>' in page.text)
        home = self.client.get(u'/')
        self.assertTrue(u'Hi Zoë 日本' in home.text)
        self.assertTrue(u'<li>Zoë 日本: Très bien 🚀</li>' in home.text)

    def test_sign_requires_fields(self):
        response = self.client.post(u'/sign', data={'name': u'x'})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(b'name and message are required' in response.data)

    def test_custom_404(self):
        response = self.client.get(u'/entry/nobody')
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.text, u'<p>Nichts hier: Niemand namens nobody</p>')
        response = self.client.get(u'/nowhere/日本')
        self.assertEqual(response.status_code, 404)
        self.assertTrue(u'/nowhere/日本' in response.text)

    def test_405(self):
        response = self.client.get(u'/sign')
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.get_header('Allow'), 'POST')

    def test_converters(self):
        self.assertEqual(self.client.get(u'/user/42').data, b'user 42 (int)')
        self.assertEqual(self.client.get(u'/user/abc').status_code, 404)
        response = self.client.get(u'/files/docs/résumé.txt')
        self.assertEqual(response.data, b'contents of docs/r\xc3\xa9sum\xc3\xa9.txt')
        self.assertEqual(response.get_header('Content-Type'), 'text/plain; charset=utf-8')
        self.assertEqual(response.get_header('Content-Disposition'),
                         "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt")

    def test_json_api(self):
        body = json.dumps({'name': u'太郎', 'message': u'こんにちは'}).encode('utf-8')
        response = self.client.post(u'/api/entries', data=body, content_type='application/json')
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json, {u'ok': True, u'count': 1})
        listing = self.client.get(u'/api/entries', query={'q': u'日本'})
        self.assertEqual(listing.get_header('Content-Type'), 'application/json; charset=utf-8')
        self.assertEqual(listing.json, {u'entries': [{u'name': u'太郎', u'message': u'こんにちは'}],
                                        u'search': u'日本'})

    def test_json_api_rejects_garbage(self):
        response = self.client.post(u'/api/entries', data=b'[1, 2', content_type='application/json')
        self.assertEqual(response.status_code, 400)
        self.assertTrue(b'Invalid JSON' in response.data)

    def test_signed_cookie_login(self):
        response = self.client.post(u'/login', data={'user': u'Zoë'})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response.get_header('Location'), '/me')
        self.assertEqual(self.client.get(u'/me').text, u'logged in as Zoë')
        self.client.cookies['user'] = self.client.cookies['user'].replace('Zo', 'Jo')
        forged = self.client.get(u'/me')
        self.assertEqual(forged.status_code, 403)
        self.assertEqual(forged.data, b'not logged in')

    def test_head(self):
        response = self.client.open('HEAD', u'/user/7')
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.data, b'')
        self.assertEqual(response.get_header('Content-Length'), '12')

    def test_unhandled_error(self):
        response = self.client.get(u'/boom')
        self.assertEqual(response.status, '500 Internal Server Error')
        self.assertEqual(response.data, b'<h1>500 Internal Server Error</h1>')
        self.assertEqual(response.get_header('Content-Length'), '34')
        self.assertTrue('GET /boom failed' in response.errors)
        self.assertTrue('kaputt' in response.errors)

    def test_bad_view_return_value(self):
        self.assertEqual(self.client.get(u'/nothing').status_code, 500)


class DirectCallTests(unittest.TestCase):
    """The WSGI callable, called with a hand-made environ."""

    def test_debug_traceback(self):
        app = make_guestbook(debug=True)
        start, body = call(app, make_environ('GET', u'/boom'))
        self.assertEqual(start.status, '500 Internal Server Error')
        self.assertTrue(b'<pre>Traceback (most recent call last):' in body)
        self.assertTrue(b'ValueError: kaputt' in body)
        self.assertEqual(int(start.header('Content-Length')), len(body))

    def test_form_post(self):
        app = make_guestbook()
        environ = make_environ('POST', u'/sign', body=b'name=%C3%9C&message=hi',
                               content_type='application/x-www-form-urlencoded')
        start, body = call(app, environ)
        self.assertEqual(start.status, '302 Found')
        self.assertEqual(start.header('Location'), '/entry/%C3%9C')
        self.assertEqual(body, b'')
        self.assertEqual(start.header('Content-Length'), '0')
        start, body = call(app, make_environ('GET', u'/entry/Ü'))
        self.assertTrue(b'<li>\xc3\x9c: hi</li>' in body)

    def test_middleware(self):
        app = make_guestbook()
        seen = []

        def tracer(next_app):
            def middleware(environ, start_response):
                seen.append(environ['PATH_INFO'])
                return next_app(environ, start_response)
            return middleware
        app.middlewares.append(tracer)
        start, body = call(app, make_environ('GET', u'/user/1'))
        self.assertEqual(body, b'user 1 (int)')
        self.assertEqual(seen, ['/user/1'])

    def test_url_for(self):
        app = make_guestbook()
        self.assertEqual(app.url_for('entry', name=u'Zoë/x'), '/entry/Zo%C3%AB/x')
        self.assertEqual(app.url_for('user', user_id=5, tab=u'réglages', a=1),
                         '/user/5?a=1&tab=r%C3%A9glages')

    def test_duplicate_endpoint(self):
        app = make_guestbook()
        self.assertRaises(ValueError, app.add_rule, '/x', lambda r: u'', endpoint='user')

    def test_unknown_converter(self):
        app = App()
        self.assertRaises(ValueError, app.add_rule, '/<float:x>', lambda r, x: u'')

    def test_request_ids_increase(self):
        app = App()
        ids = []

        @app.route('/')
        def index(request):
            ids.append(request.id)
            return u'ok'
        call(app, make_environ())
        call(app, make_environ())
        self.assertEqual(ids, [1, 2])


if __name__ == '__main__':
    unittest.main()
