"""Standard library modules that Python 3 renamed or split (→ ``six.moves``)."""
from __future__ import annotations

import ast
import re

from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX, replace_statement
from portkit.model import ImportRequest
from portkit.registry import register

# Python 2 module → six.moves path with the same contents.
MOVED = {
    "cPickle": "cPickle",
    "Queue": "queue",
    "ConfigParser": "configparser",
    "urlparse": "urllib.parse",
    "httplib": "http_client",
    "Cookie": "http_cookies",
    "cookielib": "http_cookiejar",
    "HTMLParser": "html_parser",
    "htmlentitydefs": "html_entities",
    "SocketServer": "socketserver",
    "BaseHTTPServer": "BaseHTTPServer",
    "SimpleHTTPServer": "SimpleHTTPServer",
    "CGIHTTPServer": "CGIHTTPServer",
    "thread": "_thread",
    "__builtin__": "builtins",
    "copy_reg": "copyreg",
    "repr": "reprlib",
    "Tkinter": "tkinter",
    "tkFileDialog": "tkinter_tkfiledialog",
    "tkMessageBox": "tkinter_messagebox",
    "ScrolledText": "tkinter_scrolledtext",
    "xmlrpclib": "xmlrpc_client",
    "SimpleXMLRPCServer": "xmlrpc_server",
    "robotparser": "urllib.robotparser",
    "cStringIO": None,  # bytes/text decision: see the PK4 StringIO rule
    "StringIO": None,
}

# urllib and urllib2 were split between urllib.parse/request/error/response.
_PARSE = """quote quote_plus unquote unquote_plus urlencode splitquery splittag splituser splitvalue
uses_fragment uses_netloc uses_params uses_query uses_relative urlparse urlunparse urljoin urldefrag
urlsplit urlunsplit parse_qs parse_qsl ParseResult SplitResult""".split()
_REQUEST = """urlopen install_opener build_opener pathname2url url2pathname getproxies Request OpenerDirector
HTTPDefaultErrorHandler HTTPRedirectHandler HTTPCookieProcessor ProxyHandler BaseHandler HTTPPasswordMgr
HTTPPasswordMgrWithDefaultRealm AbstractBasicAuthHandler HTTPBasicAuthHandler ProxyBasicAuthHandler
AbstractDigestAuthHandler HTTPDigestAuthHandler ProxyDigestAuthHandler HTTPHandler HTTPSHandler FileHandler
FTPHandler CacheFTPHandler UnknownHandler HTTPErrorProcessor urlretrieve urlcleanup URLopener
FancyURLopener proxy_bypass parse_http_list parse_keqv_list""".split()
_ERROR = "URLError HTTPError ContentTooShortError".split()
_RESPONSE = "addbase addclosehook addinfo addinfourl".split()
SPLIT = {}
for _sub, _names in (("parse", _PARSE), ("request", _REQUEST), ("error", _ERROR), ("response", _RESPONSE)):
    for _name in _names:
        SPLIT[_name] = "six.moves.urllib.%s" % _sub
SPLIT_MODULES = ("urllib", "urllib2")
# Names whose six.moves home is another module's function on 2.7: rewriting
# them changes what 2.7 does.
DIFFERS = {
    ("urllib", "urlopen"): "six.moves.urllib.request.urlopen is urllib2.urlopen on 2.7, which raises HTTPError "
                           "for a 4xx/5xx response where urllib.urlopen returned its body: port it by hand "
                           "(catch HTTPError and read its body, or keep urllib.urlopen under six.PY2)",
}


# Values with no six.moves home, written as an expression that gives the same
# value on 2.7 (urllib2.__version__ is sys.version[:3] there).
EXPRESSIONS = {
    ("urllib2", "__version__"): "('%d.%d' % sys.version_info[:2])",
}


def home(module: str, name: str):
    """The six.moves module of ``module.name`` when it is the same object on 2.7
    (or the expression of :data:`EXPRESSIONS`), else None."""
    if (module, name) in EXPRESSIONS:
        return EXPRESSIONS[(module, name)]
    return None if (module, name) in DIFFERS else SPLIT.get(name)


# Names the renamed module no longer has on Python 3, and what stands in for
# them there: (module, name) -> the Python 3 statement binding the name.
GONE_NAMES = {
    # HTMLParser stopped raising it in 3.5; a class of its own keeps every
    # `except HTMLParseError:` meaningful (it never catches anything on 3)
    ("HTMLParser", "HTMLParseError"): "%s = type('HTMLParseError', (Exception,), {})",
}


def _six_path(module: str) -> str:
    return "six.moves." + MOVED[module]


def _module_span(ctx, node: ast.ImportFrom):
    """Offsets of the module name in ``from MODULE import ...``."""
    start = ctx.start(node)
    match = re.compile(r"from\s+(%s)\b" % re.escape(node.module)).match(ctx.text, start)
    if not match:
        return None
    return match.start(1), match.end(1)


@register
class RenamedModules(Fixer):
    code = "PK206"
    name = "renamed-modules"
    summary = "standard library module renamed in Python 3 (use six.moves)"
    explanation = """
    What it does: rewrites imports of modules that Python 3 renamed to their
    ``six.moves`` equivalents, keeping the name the code already uses, so
    that nothing else in the module changes:
    ``import ConfigParser`` → ``from six.moves import configparser as ConfigParser``,
    ``from urlparse import urljoin`` → ``from six.moves.urllib.parse import urljoin``.
    Covered: cPickle, Queue, ConfigParser, urlparse, httplib, Cookie,
    cookielib, HTMLParser, htmlentitydefs, SocketServer, BaseHTTPServer,
    SimpleHTTPServer, CGIHTTPServer, thread, __builtin__, copy_reg, repr,
    Tkinter and friends, xmlrpclib, SimpleXMLRPCServer, robotparser.

    Why: these imports fail on Python 3.  ``six.moves`` imports the Python 2
    module on 2 and the renamed one on 3.

    ``StringIO`` and ``cStringIO`` are not here: whether a buffer holds bytes
    or text decides between ``io.BytesIO`` and ``io.StringIO`` (PK4 rules).
    """
    examples = (
        Example("import urlparse\nparts = urlparse.urlsplit(url)\n",
                "from six.moves.urllib import parse as urlparse\nparts = urlparse.urlsplit(url)\n"),
        Example("from Queue import Queue, Empty\n", "from six.moves.queue import Queue, Empty\n"),
        Example("import cPickle as pickle\n", "from six.moves import cPickle as pickle\n"),
        Example("try:\n    import json\nexcept ImportError:\n    import simplejson as json\n", None,
                title="Modules that exist on both are left alone"),
    )
    needles = frozenset(m for m, v in MOVED.items() if v)
    node_types = (ast.Import, ast.ImportFrom)

    def visit(self, node, ctx):
        if isinstance(node, ast.ImportFrom):
            if node.level or node.module not in MOVED or MOVED[node.module] is None:
                return
            span = _module_span(ctx, node)
            message = "module %s is renamed in Python 3: import it from %s" % (node.module, _six_path(node.module))
            gone = [a for a in node.names if (node.module, a.name) in GONE_NAMES]
            if gone:
                _gone_names_fix(self, node, ctx, gone, message)
                return
            if span is None:
                ctx.report(node, message)
                return
            ctx.report(node, message, edits=[ctx.replace_span(span[0], span[1], _six_path(node.module))])
            return
        moved = [a for a in node.names if MOVED.get(a.name)]
        if not moved:
            return
        lines = []
        plain = [a for a in node.names if not MOVED.get(a.name)]
        if plain:
            lines.append("import " + ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in plain))
        for alias in moved:
            path = _six_path(alias.name)
            package, _, leaf = path.rpartition(".")
            bound = alias.asname or alias.name
            lines.append("from %s import %s%s" % (package, leaf, "" if bound == leaf else " as " + bound))
        edit = replace_statement(ctx, node, lines)
        names = ", ".join(a.name for a in moved)
        message = "module%s %s renamed in Python 3: import from six.moves" % ("s" if len(moved) > 1 else "", names)
        ctx.report(node, message, edits=[edit] if edit else [])


def _gone_names_fix(fixer, node, ctx, gone, message):
    names = ", ".join(a.name for a in gone)
    if not isinstance(ctx.parent(node), ast.Module):
        ctx.report(node, message + "; %s is gone in Python 3: import it by hand" % names)
        return
    edit = replace_statement(ctx, node, _gone_names_lines(ctx, node, gone))
    ctx.report(node, message + "; %s is gone in Python 3: kept on 2.7, a stand-in on 3" % names,
               edits=[edit] if edit else [])


def _module_uses(ctx):
    """{bound name node: attribute node or None} for the split modules, memoised."""
    uses = ctx.cache.get("urllib_uses")
    if uses is None:
        uses = []
        for name in ctx.walk.index.get(ast.Name, ()):
            if type(name.ctx) is not ast.Load or name.id not in _bound_split_names(ctx):
                continue
            target = ctx.resolve(name)
            if target not in SPLIT_MODULES:
                continue
            parent = ctx.parent(name)
            attr = parent if isinstance(parent, ast.Attribute) and parent.value is name else None
            uses.append((name, target, attr))
        ctx.cache["urllib_uses"] = uses
    return uses


def _bound_split_names(ctx):
    names = ctx.cache.get("urllib_names")
    if names is None:
        names = set()
        for node in ctx.walk.index.get(ast.Import, ()):
            for alias in node.names:
                if alias.name in SPLIT_MODULES:
                    names.add(alias.asname or alias.name)
        ctx.cache["urllib_names"] = names
    return names


def _gone_names_lines(ctx, node, gone):
    keep = [a for a in node.names if a not in gone]
    lines = []
    if keep:
        lines.append("from %s import %s" % (_six_path(node.module), ", ".join(
            a.name + (" as " + a.asname if a.asname else "") for a in keep)))
    lines.append("try:")
    lines += ["    from %s import %s" % (node.module, a.name + (" as " + a.asname if a.asname else "")) for a in gone]
    lines.append("except ImportError:  # Python 3 has no such name")
    lines += ["    " + GONE_NAMES[(node.module, a.name)] % (a.asname or a.name) for a in gone]
    return lines


@register
class SplitUrllib(Fixer):
    code = "PK207"
    name = "urllib-split"
    summary = "urllib / urllib2 were split into urllib.parse, .request, .error in Python 3"
    explanation = """
    What it does: rewrites ``urllib.quote(x)`` → ``six.moves.urllib.parse.quote(x)``,
    ``urllib2.urlopen(r)`` → ``six.moves.urllib.request.urlopen(r)``,
    ``urllib2.HTTPError`` → ``six.moves.urllib.error.HTTPError`` and so on,
    and ``from urllib2 import urlopen, URLError`` into one import per new
    module.  Once every use of ``import urllib2`` is rewritten, the import
    itself is removed.

    Why: Python 3 has no ``urllib2``, and its ``urllib`` is a package with
    none of Python 2's functions at the top.

    A use portkit cannot map (the module passed around, an attribute it does
    not know) is reported and the import is kept; so is ``urllib.urlopen``,
    whose ``six.moves`` home is ``urllib2.urlopen`` on 2.7 (it raises
    ``HTTPError`` where ``urllib.urlopen`` returned the error page).  Bytes and text: on 3,
    ``quote`` of non-ASCII text encodes it as UTF-8, while 2.7 raises; see
    the PK4 rules for quoting text.
    """
    examples = (
        Example("import urllib2\n\ndef fetch(url):\n    return urllib2.urlopen(url).read()\n",
                "import six\n\ndef fetch(url):\n    return six.moves.urllib.request.urlopen(url).read()\n"),
        Example("from urllib import quote, urlencode\n", "from six.moves.urllib.parse import quote, urlencode\n"),
        Example("import urllib\nbody = urllib.urlopen(url).read()\n", None, findings=("PK207", "PK207"),
                title="urllib.urlopen is not urllib2's: reported (an HTTP error's body is returned, not raised)"),
        Example("from urllib2 import urlopen, HTTPError\n",
                "from six.moves.urllib.request import urlopen\nfrom six.moves.urllib.error import HTTPError\n"),
        Example("import urllib\nq = urllib.quote(path)\nmodules = [urllib]\n",
                "import urllib\nimport six\nq = six.moves.urllib.parse.quote(path)\nmodules = [urllib]\n",
                title="A use that cannot be mapped keeps the import (reported)",
                findings=("PK207", "PK207")),
    )
    needles = frozenset(SPLIT_MODULES)
    node_types = (ast.Import, ast.ImportFrom, ast.Attribute, ast.Name)

    def visit(self, node, ctx):
        kind = type(node)
        if kind is ast.Name:
            return  # indexed for _module_uses
        if kind is ast.Attribute:
            value = node.value
            if type(value) is not ast.Name or value.id not in _bound_split_names(ctx):
                return
            module = ctx.resolve(value)
            if module not in SPLIT_MODULES:
                return
            target = home(module, node.attr)
            if target is None:
                reason = DIFFERS.get((module, node.attr), "it has no known Python 3 home: port it by hand")
                ctx.report(node, "%s.%s: %s" % (module, node.attr, reason))
                return
            if (module, node.attr) in EXPRESSIONS:
                if type(node.ctx) is not ast.Load:
                    ctx.report(node, "%s.%s is assigned: port it by hand" % (module, node.attr))
                    return
                ctx.report(node, "%s.%s is gone in Python 3: %s is the same value on 2.7" % (module, node.attr, target),
                           edits=[ctx.replace(node, target)], imports=[ImportRequest("sys")])
                return
            ctx.report(
                node,
                "%s.%s moved in Python 3: use %s.%s" % (module, node.attr, target, node.attr),
                edits=[ctx.replace(node, "%s.%s" % (target, node.attr))],
                imports=[SIX],
            )
            return
        if kind is ast.ImportFrom:
            if node.level or node.module not in SPLIT_MODULES:
                return
            groups = {}
            unknown = []
            for alias in node.names:
                target = home(node.module, alias.name)
                if (node.module, alias.name) in EXPRESSIONS:
                    target = None  # a value, not a name to import
                if target is None:
                    unknown.append(alias.name)
                else:
                    groups.setdefault(target, []).append(alias.name + (" as " + alias.asname if alias.asname else ""))
            message = "module %s was split in Python 3: import from six.moves.urllib" % node.module
            if unknown:
                reasons = [DIFFERS[(node.module, n)] for n in unknown if (node.module, n) in DIFFERS]
                ctx.report(node, message + " (no known home for: %s)" % ", ".join(unknown)
                           + ("; " + "; ".join(reasons) if reasons else ""))
                return
            if len(groups) == 1:
                span = _module_span(ctx, node)
                if span:
                    ctx.report(node, message, edits=[ctx.replace_span(span[0], span[1], next(iter(groups)))])
                    return
            lines = ["from %s import %s" % (target, ", ".join(names)) for target, names in groups.items()]
            edit = replace_statement(ctx, node, lines)
            ctx.report(node, message, edits=[edit] if edit else [])
            return
        # import urllib / urllib2
        split = [a for a in node.names if a.name in SPLIT_MODULES]
        if not split:
            return
        uses = _module_uses(ctx)
        removable = []
        for alias in split:
            bound = alias.asname or alias.name
            mine = [u for u in uses if u[0].id == bound]
            if all(attr is not None and home(alias.name, attr.attr) for _, _, attr in mine):
                removable.append(alias)
        if not removable:
            ctx.report(node, "module %s does not exist on Python 3 as used here: rewrite the remaining uses"
                       % ", ".join(a.name for a in split))
            return
        keep = [a for a in node.names if a not in removable]
        lines = ["import " + ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in keep)] if keep else []
        edit = replace_statement(ctx, node, lines)
        ctx.report(
            node,
            "import of %s: every use now goes through six.moves.urllib; import removed"
            % ", ".join(a.name for a in removable),
            edits=[edit] if edit else [],
            last=True,  # only right once every use went through six.moves
        )

