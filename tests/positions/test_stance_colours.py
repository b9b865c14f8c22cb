"""Stance colours a colour-blind reader can tell apart, with text that contrasts on each.

Every pair of stance colours differs by CIEDE2000 ΔE >= 20 in normal vision and after a
full deuteranopia and protanopia simulation (colorspacious, Machado et al. 2009), and
each badge's text has a WCAG contrast of at least 4.5:1 on its colour.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest
from colorspacious import cspace_convert

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "research.css"
STANCES = ("demand", "reject", "accept", "propose", "condition", "intent", "assess")


def _variables() -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})", CSS.read_text(encoding="utf-8")))


def _rgb(hex_colour: str) -> np.ndarray:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return np.array([int(value[i:i + 2], 16) for i in (0, 2, 4)]) / 255


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p - h1p > 180 else h2p - h1p + 360
    d_lp, d_cp = l2 - l1, c2p - c1p
    d_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    else:
        hp_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp_mean - 30)) + 0.24 * math.cos(math.radians(2 * hp_mean))
         + 0.32 * math.cos(math.radians(3 * hp_mean + 6)) - 0.20 * math.cos(math.radians(4 * hp_mean - 63)))
    d_theta = 30 * math.exp(-(((hp_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((d_lp / s_l) ** 2 + (d_cp / s_c) ** 2 + (d_hp / s_h) ** 2
                     + r_t * (d_cp / s_c) * (d_hp / s_h))


def test_ciede2000_matches_the_published_test_data() -> None:
    assert ciede2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == pytest.approx(27.1492, abs=1e-4)


def _seen(rgb: np.ndarray, vision: str | None) -> np.ndarray:
    if vision:
        space = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
        rgb = np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)
    lab: np.ndarray = cspace_convert(rgb, "sRGB1", "CIELab")
    return lab


@pytest.mark.parametrize("vision", [None, "deuteranomaly", "protanomaly"])
def test_every_pair_of_stance_colours_differs_by_at_least_20(vision: str | None) -> None:
    colours = _variables()
    labs = {stance: _seen(_rgb(colours[stance]), vision) for stance in STANCES}
    close = [
        (a, b, round(ciede2000(labs[a], labs[b]), 1))
        for a, b in itertools.combinations(STANCES, 2) if ciede2000(labs[a], labs[b]) < 20
    ]
    assert close == []


def _luminance(rgb: np.ndarray) -> float:
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2])


@pytest.mark.parametrize("stance", STANCES)
def test_a_badge_text_contrasts_with_its_colour(stance: str) -> None:
    colours = _variables()
    light, dark = sorted((_luminance(_rgb(colours[stance])), _luminance(_rgb(colours[f"on-{stance}"]))))
    assert (dark + 0.05) / (light + 0.05) >= 4.5
