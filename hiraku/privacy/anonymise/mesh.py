"""JIS X 0410 地域メッシュ codes, computed in whole milli-arc-seconds so cell edges do not suffer
floating-point error (japan-standards.md §3).

    to_meshcode(37.4948, 139.9298, 250) -> "5639179414"
    bounds("5639179414") -> (south, west, north, east) in degrees
"""

# Cell sizes in milli-arc-seconds (lat, lon): 1次 40'x1°, 2次 5'x7.5', 3次 30"x45",
# then halves: 1/2 15"x22.5", 1/4 7.5"x11.25", 1/8 3.75"x5.625".
_FIRST = (2_400_000, 3_600_000)
_SECOND = (300_000, 450_000)
_THIRD = (30_000, 45_000)
_HALVES = [(15_000, 22_500), (7_500, 11_250), (3_750, 5_625)]
LEVEL_DIGITS = {80_000: 4, 10_000: 6, 1000: 8, 500: 9, 250: 10, 125: 11}
SIZES_M = {4: 80_000, 6: 10_000, 8: 1000, 9: 500, 10: 250, 11: 125}


def _ms(degrees: float) -> int:
    return round(degrees * 3_600_000)


def to_meshcode(lat: float, lon: float, size_m: int = 1000) -> str:
    """Mesh code of the cell holding (lat, lon); size_m is one of 80000/10000/1000/500/250/125."""
    if size_m not in LEVEL_DIGITS:
        raise ValueError(f"unknown mesh size {size_m} m")
    if not (20 <= lat < 46 and 122 <= lon < 154):
        raise ValueError(f"outside Japan's mesh area: {lat}, {lon}")
    digits = LEVEL_DIGITS[size_m]
    lat_r, lon_r = _ms(lat), _ms(lon)
    p, lat_r = divmod(lat_r, _FIRST[0])
    u, lon_r = divmod(lon_r, _FIRST[1])
    code = f"{p:02d}{u - 100:02d}"
    for (lat_step, lon_step), width in ((_SECOND, 6), (_THIRD, 8)):
        if digits < width:
            return code
        q, lat_r = divmod(lat_r, lat_step)
        v, lon_r = divmod(lon_r, lon_step)
        code += f"{q}{v}"
    for lat_step, lon_step in _HALVES[: digits - 8]:
        s, lat_r = divmod(lat_r, lat_step)
        x, lon_r = divmod(lon_r, lon_step)
        code += str(s * 2 + x + 1)
    return code


def bounds(code: str) -> tuple[float, float, float, float]:
    """(south, west, north, east) in degrees of a mesh cell."""
    if not code.isdigit() or len(code) not in SIZES_M:
        raise ValueError(f"not a mesh code: {code!r}")
    south = int(code[0:2]) * _FIRST[0]
    west = (int(code[2:4]) + 100) * _FIRST[1]
    height, width = _FIRST
    if len(code) >= 6:
        south += int(code[4]) * _SECOND[0]
        west += int(code[5]) * _SECOND[1]
        height, width = _SECOND
    if len(code) >= 8:
        south += int(code[6]) * _THIRD[0]
        west += int(code[7]) * _THIRD[1]
        height, width = _THIRD
    for digit, (lat_step, lon_step) in zip(code[8:], _HALVES, strict=False):
        s, x = divmod(int(digit) - 1, 2)
        south += s * lat_step
        west += x * lon_step
        height, width = lat_step, lon_step
    scale = 3_600_000
    return south / scale, west / scale, (south + height) / scale, (west + width) / scale
