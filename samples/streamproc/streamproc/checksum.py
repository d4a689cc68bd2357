"""Checksums and dumps of byte strings and files."""
import binascii
import hashlib
import operator
import zlib

from streamproc.chunks import read_in_chunks


def crc32(data, value=0):
    """CRC-32 as an unsigned 32 bit number (zlib.crc32 returns a signed
    int on some platforms)."""
    return zlib.crc32(data, value) & 0xffffffff


def crc32_hex(data):
    return '%08x' % crc32(data)


def adler32(data):
    return zlib.adler32(data) & 0xffffffff


def file_crc32(path, chunk_size=8192):
    """CRC-32 of a file, read in chunks so big files are fine."""
    crc = 0
    for block in read_in_chunks(path, chunk_size):
        crc = binascii.crc32(block, crc)
    return crc & 0xffffffff


def fletcher16(data):
    """Fletcher's 16 bit checksum of a byte string."""
    sum1 = sum2 = 0
    for i in xrange(len(data)):
        sum1 = (sum1 + ord(data[i])) % 255
        sum2 = (sum2 + sum1) % 255
    return (sum2 << 8) | sum1


def xor_checksum(data):
    """All bytes XORed together (the classic serial line checksum)."""
    return reduce(operator.xor, map(ord, data), 0)


def sha1_hex(data):
    """Hex SHA-1 of a byte string."""
    return hashlib.sha1(data).digest().encode('hex')


def md5_hex(data):
    return hashlib.md5(data).hexdigest()


def hexdump(data, width=16):
    """A classic hexdump: offset, hex bytes, printable characters."""
    lines = []
    for offset in xrange(0, len(data), width):
        chunk = data[offset:offset + width]
        hexpart = ' '.join(['%02x' % ord(c) for c in chunk])
        text = ''.join([(32 <= ord(c) < 127) and c or '.' for c in chunk])
        lines.append('%08x  %-*s  %s' % (offset, width * 3 - 1, hexpart,
                                        text))
    return '\n'.join(lines)
