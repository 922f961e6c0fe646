"""CRC-32 of joined pieces from the pieces' own CRCs, as zlib's `crc32_combine`
(which Python's zlib does not expose): multiplication by x^(8n) modulo the
CRC polynomial, in the reflected bit order zlib uses.

    crc32_combine(crc32(a), crc32(b), len(b)) == crc32(a + b)
"""

from __future__ import annotations

_POLY = 0xEDB88320
_ONE = 1 << 31  # the polynomial 1 (x^0), reflected


def _multiply(a: int, b: int) -> int:
    """a(x) * b(x) modulo the CRC polynomial."""
    product = 0
    mask = _ONE
    while mask:
        if a & mask:
            product ^= b
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1
        mask >>= 1
    return product


def _powers() -> list[int]:
    """x^(2^k) modulo the polynomial, for k = 0..31."""
    power, table = _ONE >> 1, []  # x^1
    for _ in range(32):
        table.append(power)
        power = _multiply(power, power)
    return table


_X_2K = _powers()


def _x_to_8n(n: int) -> int:
    """x^(8n) modulo the polynomial: n bytes of shift."""
    result, k = _ONE, 3
    while n:
        if n & 1:
            result = _multiply(_X_2K[k & 31], result)
        n >>= 1
        k += 1
    return result


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of `a + b` from `crc1` of `a`, `crc2` of `b` and `length2`, the length of `b`."""
    return _multiply(_x_to_8n(length2), crc1) ^ crc2
