"""What known APIs take and give, in bytes/text terms: data for :mod:`portkit.kinds`.

Kinds are written as short strings:

``"B"``   BYTES (``str`` on 2, ``bytes`` on 3)
``"T"``   TEXT (``unicode`` on 2, ``str`` on 3)
``"N"``   NATIVE (``str`` on both)
``"N+"``  NATIVE that is plain ASCII (a hex digest, JSON, a quoted URL): its
          UTF-8 encoding on 3 is exactly the byte string it is on 2
``"B+"``  BYTES that are plain ASCII (base64 or hex output)
``"A"``   (parameters only) BYTES, or a str of ASCII characters
``"O"``   not a string (a number, a bool, ``None`` ...)
``"?"``   unknown
``"=0"``  the kind of argument 0 (``cgi.escape(x)`` is what ``x`` is)
``"=*"``  the join of the kinds of all positional arguments (``os.path.join``)
``"@t"``  an object of type ``t`` (see :data:`TYPES`)
``"[k]"`` a sequence of ``k``; ``"(k,k)"`` a pair; ``"{k:k}"`` a mapping

A function or method entry is ``Sig(result, params)``; ``params`` gives, per
positional argument, the kind the API *needs* (``None`` = anything).  Fixers
use the parameters to find TEXT passed where BYTES are needed.

Names are canonical Python 3 dotted names; :func:`canonical` maps the
Python 2 spellings (``urllib.quote``, ``httplib.HTTPConnection``) and the
``six.moves`` spellings (``six.moves.urllib.parse.quote``) onto them, so the
table works before and after the module-renaming fixers ran.

To teach portkit a new API, add a line here; nothing else changes.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Dict, NamedTuple, Optional, Tuple


class Sig(NamedTuple):
    result: str = "?"
    params: Tuple[Optional[str], ...] = ()
    keywords: Tuple[Tuple[str, str], ...] = ()  # (name, needed kind)


def _s(result, *params, **keywords):
    return Sig(result, tuple(params), tuple(sorted(keywords.items())))


# -- module renames: Python 2 and six.moves spellings → canonical ------------
_PREFIXES = (
    ("six.moves.urllib.parse.", "urllib.parse."),
    ("six.moves.urllib.request.", "urllib.request."),
    ("six.moves.urllib.error.", "urllib.error."),
    ("six.moves.urllib.response.", "urllib.response."),
    ("six.moves.urllib_parse.", "urllib.parse."),
    ("six.moves.urllib_request.", "urllib.request."),
    ("six.moves.http_client.", "http.client."),
    ("six.moves.http_cookies.", "http.cookies."),
    ("six.moves.cStringIO.", "cStringIO."),
    ("six.moves.cStringIO", "six.moves.cStringIO"),  # the class itself (PK266's spelling): as it is
    ("six.moves.builtins.", "builtins."),
    ("six.moves.", "builtins."),  # six.moves.zip, six.moves.range, six.moves.input ...
    ("urlparse.", "urllib.parse."),
    ("urllib2.", "urllib.request."),
    ("httplib.", "http.client."),
    ("Cookie.", "http.cookies."),
    ("__builtin__.", "builtins."),
    ("itertools.izip", "builtins.zip"),
    ("itertools.imap", "builtins.map"),
)
# Drop-in replacements: the same API under another name.
_SAME_MODULES = {"simplejson": "json", "cPickle": "pickle", "cStringIO": "cStringIO", "urllib2": "urllib2"}
_URLLIB_PARSE = frozenset("""quote quote_plus unquote unquote_plus urlencode splitquery splittag
splituser splitvalue""".split())
_URLLIB_REQUEST = frozenset("urlopen urlretrieve Request build_opener".split())


@lru_cache(maxsize=4096)  # asked again and again for the same few names
def canonical(dotted: Optional[str]) -> Optional[str]:
    """``'urllib.quote'`` → ``'urllib.parse.quote'``; ``'six.moves.urllib.parse.quote'`` too."""
    if not dotted:
        return dotted
    head, _, rest = dotted.partition(".")
    if head in _SAME_MODULES:
        dotted = _SAME_MODULES[head] + ("." + rest if rest else "")
    if dotted.startswith("urllib.") and dotted.count(".") == 1:
        leaf = dotted[7:]
        if leaf in _URLLIB_PARSE:
            return "urllib.parse." + leaf
        if leaf in _URLLIB_REQUEST:
            return "urllib.request." + leaf
        return dotted
    for old, new in _PREFIXES:
        if dotted.startswith(old):
            rest = dotted[len(old):]
            if old == "six.moves." and rest.startswith("urllib"):
                break
            return new + rest
    if dotted.startswith("urllib.request.") and dotted[15:] in ("HTTPError", "URLError"):
        return "urllib.error." + dotted[15:]
    return dotted


_HASHES = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s",
           "sha3_256", "sha3_512")
_B64 = ("b64encode", "b64decode", "urlsafe_b64encode", "urlsafe_b64decode", "standard_b64encode",
        "standard_b64decode", "b32encode", "b32decode", "b16encode", "b16decode", "encodestring",
        "decodestring", "encodebytes", "decodebytes", "b85encode", "b85decode", "a85encode", "a85decode")
_BINASCII = ("hexlify", "unhexlify", "b2a_hex", "a2b_hex", "b2a_base64", "a2b_base64", "b2a_qp",
             "a2b_qp", "b2a_uu", "a2b_uu")

FUNCTIONS: Dict[str, Sig] = {
    # builtins
    "builtins.str": _s("N"),
    "builtins.repr": _s("N"),
    "builtins.hex": _s("N+"),
    "builtins.oct": _s("N+"),
    "builtins.bin": _s("N+"),
    "builtins.chr": _s("N"),
    "builtins.format": _s("N"),
    "builtins.unichr": _s("T"),
    "builtins.unicode": _s("T"),
    "builtins.bytearray": _s("@bytearray"),
    "builtins.len": _s("O"),
    "builtins.int": _s("O"),
    "builtins.long": _s("O"),
    "builtins.float": _s("O"),
    "builtins.ord": _s("O"),
    "builtins.bool": _s("O"),
    "builtins.hash": _s("O"),
    "builtins.id": _s("O"),
    "builtins.abs": _s("O"),
    "builtins.round": _s("O"),
    "builtins.divmod": _s("(O,O)"),
    "builtins.isinstance": _s("O"),
    "builtins.issubclass": _s("O"),
    "builtins.hasattr": _s("O"),
    "builtins.callable": _s("O"),
    "builtins.sum": _s("O"),
    "builtins.range": _s("[O]"),
    "builtins.xrange": _s("[O]"),
    "builtins.raw_input": _s("N"),
    "builtins.input": _s("N"),
    "builtins.open": _s("@file"),
    "builtins.file": _s("@file"),
    "builtins.sorted": _s("[*0]"),
    "builtins.list": _s("[*0]"),
    "builtins.tuple": _s("[*0]"),
    "builtins.set": _s("[*0]"),
    "builtins.frozenset": _s("[*0]"),
    "builtins.reversed": _s("[*0]"),
    "builtins.iter": _s("[*0]"),
    "builtins.enumerate": _s("[(O,*0)]"),
    "builtins.zip": _s("[zip]"),
    "builtins.min": _s("*0"),
    "builtins.max": _s("*0"),
    "builtins.next": _s("*0"),
    # six
    "six.text_type": _s("T"),
    "six.binary_type": _s("B"),
    "six.b": _s("B"),
    "six.u": _s("T"),
    "six.unichr": _s("T"),
    "six.int2byte": _s("B"),
    "six.byte2int": _s("O"),
    "six.indexbytes": _s("O"),
    "six.iterbytes": _s("[O]"),
    "six.ensure_text": _s("T"),
    "six.ensure_binary": _s("B"),
    "six.ensure_str": _s("N"),
    "six.iteritems": _s("[items]"),
    "six.itervalues": _s("[values]"),
    "six.iterkeys": _s("[keys]"),
    # hashing and friends
    "hashlib.new": _s("@hash", "N", "B"),
    "hashlib.pbkdf2_hmac": _s("B", "N", "B", "B"),
    "hmac.new": _s("@hmac", "B", "B"),
    "hmac.compare_digest": _s("O"),
    "os.urandom": _s("B"),
    "struct.pack": _s("B", "F"),
    "struct.unpack": _s("?", "F", "B"),
    "struct.unpack_from": _s("?", "F", "B"),
    "struct.calcsize": _s("O", "F"),
    "struct.Struct": _s("@struct", "F"),
    "array.array": _s("?", "F"),
    "zlib.compress": _s("B", "B"),
    "zlib.decompress": _s("B", "B"),
    "zlib.crc32": _s("O", "B"),
    "zlib.adler32": _s("O", "B"),
    "zlib.compressobj": _s("@zlibstream"),
    "zlib.decompressobj": _s("@zlibstream"),
    "binascii.crc32": _s("O", "B"),
    "bz2.compress": _s("B", "B"),
    "bz2.decompress": _s("B", "B"),
    "gzip.compress": _s("B", "B"),
    "gzip.decompress": _s("B", "B"),
    # text helpers
    "unicodedata.normalize": _s("T", None, "T"),
    "cgi.escape": _s("=0"),
    "html.escape": _s("=0"),
    "xml.sax.saxutils.escape": _s("=0"),
    "re.escape": _s("=0"),
    "re.sub": _s("=2"),
    "string.join": _s("*0"),
    "string.lower": _s("=0"),
    "string.upper": _s("=0"),
    "string.strip": _s("=0"),
    "textwrap.dedent": _s("=0"),
    "textwrap.fill": _s("=0"),
    "os.path.join": _s("=*"),
    "os.path.basename": _s("=0"),
    "os.path.dirname": _s("=0"),
    "os.path.abspath": _s("=0"),
    "os.path.normpath": _s("=0"),
    "os.path.expanduser": _s("=0"),
    "os.getcwd": _s("N"),
    "os.getenv": _s("N"),
    "os.environ.get": _s("N"),
    "os.listdir": _s("[=0]"),
    "time.strftime": _s("N", "N"),
    "time.ctime": _s("N"),
    "time.asctime": _s("N"),
    "email.utils.formatdate": _s("N+"),
    "email.utils.quote": _s("=0"),
    "traceback.format_exc": _s("N"),
    "json.dumps": _s("N+"),
    "json.loads": _s("?"),
    "simplejson.dumps": _s("N+"),
    "pickle.dumps": _s("B"),
    "cPickle.dumps": _s("B"),
    "marshal.dumps": _s("B"),
    # URLs
    "urllib.parse.quote": _s("N+", "Q"),
    "urllib.parse.quote_plus": _s("N+", "Q"),
    "urllib.parse.unquote": _s("N"),
    "urllib.parse.unquote_plus": _s("N"),
    "urllib.parse.urlencode": _s("N+"),
    "urllib.parse.parse_qs": _s("{=0:[=0]}"),
    "urllib.parse.parse_qsl": _s("[(=0,=0)]"),
    "urllib.parse.urljoin": _s("=0", "N", "N"),
    "urllib.parse.urlsplit": _s("@spliturl", "N"),
    "urllib.parse.urlparse": _s("@spliturl", "N"),
    "urllib.parse.urlunsplit": _s("N"),
    "urllib.parse.urlunparse": _s("N"),
    "urllib.request.urlopen": _s("@urlresponse"),
    "urllib.request.Request": _s("@urlrequest"),
    "urllib.request.build_opener": _s("@opener"),
    "http.client.HTTPConnection": _s("@httpconn"),
    "http.client.HTTPSConnection": _s("@httpconn"),
    "http.cookies.SimpleCookie": _s("@cookie", "N"),
    "http.cookies.BaseCookie": _s("@cookie", "N"),
    # buffers and files
    "io.BytesIO": _s("@bytesio", "B"),
    "io.StringIO": _s("@textio", "T"),
    # what PK410/PK266 write: the very Python 2 class on 2, io.* on 3
    "six.BytesIO": _s("@bytesio", "B"),
    "six.StringIO": _s("@nativeio", "N"),
    "six.moves.cStringIO": _s("@nativeio", "N"),
    "io.open": _s("@file"),
    "codecs.open": _s("@textfile"),
    "codecs.getincrementalencoder": _s("@encoderclass"),
    "codecs.getencoder": _s("@encodefunc"),
    "codecs.getreader": _s("@readerclass"),
    "codecs.getwriter": _s("@writerclass"),
    "codecs.encode": _s("?"),
    "codecs.decode": _s("?"),
    "StringIO.StringIO": _s("@py2stringio"),
    "cStringIO.StringIO": _s("@py2stringio"),
    # sockets
    "socket.socket": _s("@socket"),
    "socket.create_connection": _s("@socket"),
    "socket.gethostname": _s("N"),
    # misc
    "uuid.uuid1": _s("@uuid"),
    "uuid.uuid3": _s("@uuid"),
    "uuid.uuid4": _s("@uuid"),
    "uuid.uuid5": _s("@uuid"),
    "uuid.UUID": _s("@uuid"),
    "csv.reader": _s("@csvreader", "[N]"),
    "csv.writer": _s("@csvwriter"),
    "csv.DictReader": _s("@csvreader", "[N]"),
    "csv.DictWriter": _s("@csvwriter"),
    "wsgiref.util.request_uri": _s("N"),
    "wsgiref.util.application_uri": _s("N"),
    "wsgiref.util.shift_path_info": _s("N"),
}
for _name in _HASHES:
    FUNCTIONS["hashlib." + _name] = _s("@hash", "B")
# Python 2's md5 and sha modules (PK253 rewrites them to hashlib, which must
# not change any kind the rules see).
for _name in ("md5.new", "md5.md5", "sha.new", "sha.sha"):
    FUNCTIONS[_name] = _s("@hash", "B")
for _name in _B64:
    # decoders also take an ASCII str on 3 ("A")
    FUNCTIONS["base64." + _name] = _s("B+" if "encode" in _name else "B", "A" if "decode" in _name else "B")
for _name in _BINASCII:
    FUNCTIONS["binascii." + _name] = _s("B+" if _name.startswith("b2a") or _name == "hexlify" else "B",
                                        "A" if _name.startswith("a2b") or _name == "unhexlify" else "B")

# Module attributes that are values, not functions.
VALUES: Dict[str, str] = {
    "sys.argv": "[N]",
    "sys.platform": "N",
    "sys.version": "N",
    "os.sep": "N",
    "os.linesep": "N",
    "os.environ": "{N:N}",
    "http.client.responses": "{O:N}",
    "string.ascii_letters": "N",
    "string.ascii_lowercase": "N",
    "string.ascii_uppercase": "N",
    "string.letters": "N",
    "string.digits": "N",
    "string.hexdigits": "N",
    "string.punctuation": "N",
    "string.printable": "N",
    "string.whitespace": "N",
}

# Methods and attributes of the object types above.  ``"*"`` is what
# iterating over the object yields.
_FILE_BYTES = {
    "read": _s("B"), "readline": _s("B"), "readlines": _s("[B]"), "write": _s("O", "B"),
    "writelines": _s("O", "[B]"), "*": "B", "getvalue": _s("B"),
}
TYPES: Dict[str, Dict[str, object]] = {
    "hash": {"digest": _s("B"), "hexdigest": _s("N+"), "update": _s("O", "B"), "copy": _s("@hash"),
             "name": "N", "digest_size": "O"},
    "hmac": {"digest": _s("B"), "hexdigest": _s("N+"), "update": _s("O", "B"), "copy": _s("@hmac")},
    "struct": {"pack": _s("B"), "unpack": _s("?", "B"), "size": "O", "format": "N"},
    "bytesio": _FILE_BYTES,
    "binfile": _FILE_BYTES,
    # sock.makefile(): bytes on 2; on 3 only with a 'b' mode (PK425 adds it)
    "sockfile": _FILE_BYTES,
    "wsgi.input": _FILE_BYTES,
    "textio": {"read": _s("T"), "readline": _s("T"), "readlines": _s("[T]"), "write": _s("O", "T"),
               "getvalue": _s("T"), "*": "T"},
    "textfile": {"read": _s("T"), "readline": _s("T"), "readlines": _s("[T]"), "write": _s("O", "T"),
                 "*": "T"},
    "nativefile": {"read": _s("N"), "readline": _s("N"), "readlines": _s("[N]"), "write": _s("O", "N"),
                   "*": "N"},
    "nativeio": {"read": _s("N"), "readline": _s("N"), "readlines": _s("[N]"), "write": _s("O", "N"),
                 "getvalue": _s("N"), "*": "N"},
    "zlibstream": {"compress": _s("B", "B"), "decompress": _s("B", "B"), "flush": _s("B"),
                   "unused_data": "B", "unconsumed_tail": "B"},
    "socket": {"recv": _s("B"), "recvfrom": _s("(B,?)"), "send": _s("O", "B"), "sendall": _s("O", "B"),
               "sendto": _s("O", "B"), "makefile": _s("@sockfile")},
    "urlresponse": {"read": _s("B"), "readline": _s("B"), "readlines": _s("[B]"), "geturl": _s("N"),
                    "getcode": _s("O"), "info": _s("@message"), "getheader": _s("N"), "*": "B",
                    "code": "O", "msg": "N", "headers": "@message"},
    "httpresponse": {"read": _s("B"), "readline": _s("B"), "getheader": _s("N"),
                     "getheaders": _s("[(N,N)]"), "status": "O", "reason": "N", "msg": "@message",
                     "*": "B"},
    "httpconn": {"getresponse": _s("@httpresponse"), "request": _s("O", "N", "N"),
                 "putrequest": _s("O", "N", "N"), "putheader": _s("O", "N", "N"), "send": _s("O", "B")},
    "opener": {"open": _s("@urlresponse")},
    "urlrequest": {"get_full_url": _s("N"), "get_method": _s("N"), "get_header": _s("N"),
                   "add_header": _s("O", "N", "N"), "data": "?"},
    "message": {"get": _s("N"), "getheader": _s("N"), "get_content_charset": _s("N"),
                "get_param": _s("N"), "as_string": _s("N"), "get_payload": _s("N")},
    "uuid": {"hex": "N+", "bytes": "B", "urn": "N+", "int": "O"},
    "cookie": {"load": _s("O", "N"), "output": _s("N"), "js_output": _s("N"),
               "value_decode": _s("(N,N)"), "value_encode": _s("(N,N)"),
               "[]": "@morsel", "get": _s("@morsel"), "items": _s("[(N,@morsel)]"),
               "iteritems": _s("[(N,@morsel)]"), "values": _s("[@morsel]"),
               "itervalues": _s("[@morsel]"), "keys": _s("[N]"), "iterkeys": _s("[N]"), "*": "N"},
    "morsel": {"value": "N", "coded_value": "N", "key": "N", "OutputString": _s("N"),
               "output": _s("N"), "set": _s("O", "N", "N", "N"), "[]": "N"},
    "csvreader": {"*": "[N]", "next": _s("[N]"), "fieldnames": "[N]", "line_num": "O"},
    "csvwriter": {"writerow": _s("O", "[N]"), "writerows": _s("O", "[[N]]")},
    # "()" is what calling an object of the type gives
    "encoderclass": {"()": "@incencoder"},
    "incencoder": {"encode": _s("B"), "reset": _s("O")},
    "encodefunc": {"()": "(B,O)"},
    "readerclass": {"()": "@textreader"},
    "writerclass": {"()": "@textwriter"},
    "textreader": {"read": _s("T"), "readline": _s("T"), "readlines": _s("[T]"), "next": _s("T"), "*": "T"},
    "textwriter": {"write": _s("O", "T")},
    "spliturl": {"scheme": "N", "netloc": "N", "path": "N", "query": "N", "fragment": "N", "params": "N",
                 "hostname": "N", "username": "N", "password": "N", "port": "O", "geturl": _s("N"),
                 "*": "N", "[]": "N"},
    "bytearray": {"*": "O", "[]": "O", "decode": _s("T"), "append": _s("O"), "extend": _s("O")},
    "environ": {"get": _s("N"), "[]": "N", "keys": _s("[N]"), "items": _s("[(N,N)]"),
                "iteritems": _s("[(N,N)]"), "values": _s("[N]"), "itervalues": _s("[N]"),
                "*": "N", "copy": _s("@environ"), "setdefault": _s("N")},
}

# String methods whose result has the kind of the receiver ("="), or is
# something else.  Methods missing here give UNKNOWN.
STR_METHODS: Dict[str, str] = {}
for _name in ("lower upper strip lstrip rstrip replace title capitalize swapcase center ljust rjust "
              "zfill expandtabs translate casefold format_map").split():
    STR_METHODS[_name] = "="
for _name in "split rsplit splitlines".split():
    STR_METHODS[_name] = "[=]"
for _name in "partition rpartition".split():
    STR_METHODS[_name] = "(=,=,=)"
for _name in ("startswith endswith isdigit isalpha isalnum isspace islower isupper istitle find rfind "
              "index rindex count").split():
    STR_METHODS[_name] = "O"

# String methods that take strings of the receiver's own kind: on 3 a bytes
# receiver with a str argument (or the reverse) raises TypeError.
STR_ARG_METHODS: Dict[str, Tuple[int, ...]] = {
    "split": (0,), "rsplit": (0,), "strip": (0,), "lstrip": (0,), "rstrip": (0,),
    "startswith": (0,), "endswith": (0,), "replace": (0, 1), "find": (0,), "rfind": (0,),
    "index": (0,), "rindex": (0,), "count": (0,), "partition": (0,), "rpartition": (0,),
    "join": (), "center": (1,), "ljust": (1,), "rjust": (1,),
}

# Codecs that ``str.encode`` / ``str.decode`` accepted on 2.7 and that are not
# text encodings on 3.
BYTES_CODECS = frozenset(["hex", "hex_codec", "base64", "base_64", "base64_codec", "zlib", "zip",
                          "zlib_codec", "bz2", "bz2_codec", "rot13", "rot_13", "string_escape",
                          "uu", "uu_codec", "quopri", "quopri_codec", "quotedprintable"])

# Parameters that name WSGI applications: ``make_server(host, port, app)``.
WSGI_APP_TAKERS: Dict[str, int] = {
    "wsgiref.simple_server.make_server": 2,
    "wsgiref.validate.validator": 0,
    "wsgiref.handlers.CGIHandler.run": 0,
}

# Environ keys whose values are not native strings.
ENVIRON_SPECIAL: Dict[str, str] = {
    "wsgi.input": "@wsgi.input",
    "wsgi.errors": "?",
    "wsgi.version": "?",
    "wsgi.multithread": "O",
    "wsgi.multiprocess": "O",
    "wsgi.run_once": "O",
    "wsgi.file_wrapper": "?",
}
