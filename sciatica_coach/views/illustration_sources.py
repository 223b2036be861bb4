"""The source of the exercise drawings and the app icon: one posable figure, two poses per exercise, one icon.

The SVG files under assets/ are generated from this module so that every drawing shares the same canvas,
floor, body proportions and thicknesses. Change a pose here, then regenerate (and look at the result):

    python -m sciatica_coach.views.illustration_sources
    python -m sciatica_coach.views.contact_sheet -o docs/illustrations.png

The body has thickness: each bone is a filled outline tapering from the trunk outward (the hull of two
circles, one at each joint), with a foot from heel to toe, a hand just past the wrist, a neck, and a trunk
wider at the pelvis and chest; far limbs are one such shape at FAR_OPACITY. Only the painting has body: the
joints the poses place (`Drawing.limbs`, `torsos`, `heads`) are what the moving figure and the tests read.

Colours: the body and floor use `currentColor`, props use `currentColor` at reduced opacity, and the moving
part plus its direction arrow use the one accent `#d9480f`. The renderer swaps both for palette colours.
All figures face left; the renderer mirrors them for the other side."""

from __future__ import annotations

import argparse
import itertools
import logging
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sciatica_coach.assets import asset_path

log = logging.getLogger(__name__)

# --- the canvas -------------------------------------------------------------------------------------------
VIEW_W = 400
VIEW_H = 300
FLOOR_Y = 270.0  # centre of the floor line
FLOOR_W = 4.0
GROUND = FLOOR_Y - FLOOR_W / 2  # the top of the floor line: where things rest
INK = "currentColor"
ACCENT = "#d9480f"

# --- the figure (units of the 400 x 300 canvas) -----------------------------------------------------------
TORSO = 84.0  # hip to shoulder
NECK = 24.0  # shoulder to the centre of the head
HEAD_R = 15.0
UPPER_ARM = 42.0
FOREARM = 40.0
THIGH = 62.0
SHIN = 58.0
FOOT = 18.0
TORSO_W = 20.0
LIMB_W = 9.0
FAR_OPACITY = 0.5  # far-side limbs: still 3:1 on a light card, plainly lighter than near ones

# The body's thickness: half-widths (canvas units) at each joint. Limbs taper from the trunk outward (the
# thigh is thicker than the shin, the upper arm than the forearm). LIMB_W and TORSO_W above stay the widths
# the poses are placed by (what rests on the floor, a seat or a ball).
HIP_R = 11.0
KNEE_R = 7.2
ANKLE_R = 4.8
HEEL_BACK = 3.0  # how far the heel reaches behind the ankle, along the foot
TOE_R = 3.4
SHOULDER_R = 7.6
ELBOW_R = 5.8
WRIST_R = 4.4
HAND_R = 6.0  # the hand: a small rounded shape just past the wrist
HAND_REACH = 5.0  # from the wrist to the hand's centre
NECK_R = 5.5
TORSO_PROFILE = ((0.0, 11.0), (0.4, 10.0), (0.78, 11.5), (1.0, 10.0))  # (share hip->shoulder, half-width)
TORSO_SAMPLES = 8
ARC_STEP = 2.0  # canvas units between the points of a rounded outline
PROP_STROKE_OPACITY = 0.5
PROP_FILL_OPACITY = 0.14
PROP_W = 4.0
ARROW_W = 5.0

# Resting heights: the centre line of a body part lying on the floor.
LYING_TORSO_Y = GROUND - TORSO_W / 2
LYING_LIMB_Y = GROUND - LIMB_W / 2
LYING_HEAD_Y = GROUND - HEAD_R

# The exercise ball: a 65 cm ball against a 45 cm thigh.
BALL_R = 45.0

Point = tuple[float, float]


def polar(origin: Point, angle_deg: float, length: float) -> Point:
    """The point `length` away from origin at angle_deg (0 = right, 90 = up: screen y points down)."""
    a = math.radians(angle_deg)
    return (origin[0] + length * math.cos(a), origin[1] - length * math.sin(a))


def angle_of(a: Point, b: Point) -> float:
    return math.degrees(math.atan2(a[1] - b[1], b[0] - a[0]))


def distance(a: Point, b: Point) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def two_bone(root: Point, target: Point, first: float, second: float, bend: int) -> tuple[Point, Point]:
    """Place the middle joint of a two-segment limb reaching from root toward target.

    bend = +1 puts the joint on the left of the root->target direction (as seen on screen, y down),
    -1 on the right. An unreachable target is approached as far as the limb allows. Returns (joint, end)."""
    d = distance(root, target)
    d = max(abs(first - second) + 1e-3, min(first + second - 1e-3, d))
    base = angle_of(root, target)
    cos_a = (first * first + d * d - second * second) / (2 * first * d)
    offset = math.degrees(math.acos(max(-1.0, min(1.0, cos_a))))
    joint = polar(root, base + bend * offset, first)
    end = polar(joint, angle_of(joint, target), second)
    return joint, end


def fmt(v: float) -> str:
    text = f"{v:.1f}"
    return text[:-2] if text.endswith(".0") else text


def path_d(points: Sequence[Point]) -> str:
    head, *rest = points
    return f"M{fmt(head[0])} {fmt(head[1])}" + "".join(f" L{fmt(x)} {fmt(y)}" for x, y in rest)


# --- the body's outline: tapered tubes ----------------------------------------------------------------------


def capsule(a: Point, ra: float, b: Point, rb: float) -> list[Point]:
    """The outline of the hull of two circles (a bone from one joint to the next, as thick as ra and rb at its
    ends), always wound the same way, so a path of several of them fills as their union."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    d = math.hypot(dx, dy)
    if d <= abs(ra - rb) + 1e-6:  # one circle holds the other
        centre, r = (a, ra) if ra >= rb else (b, rb)
        return _arc(centre, r, 0.0, 2 * math.pi)
    theta = math.atan2(dy, dx)
    alpha = math.acos((ra - rb) / d)  # from the bone's direction to where the outline leaves each circle
    return _arc(a, ra, theta + alpha, theta + 2 * math.pi - alpha) + _arc(b, rb, theta - alpha, theta + alpha)


def _arc(centre: Point, r: float, start: float, stop: float) -> list[Point]:
    """Points along a circle from angle start to stop (radians, screen axes), about ARC_STEP_PX apart."""
    steps = max(2, math.ceil((stop - start) * r / ARC_STEP))
    step = (stop - start) / steps
    cx, cy = centre
    return [
        (cx + r * math.cos(start + i * step), cy + r * math.sin(start + i * step)) for i in range(steps + 1)
    ]


def tube_d(centres: Sequence[Point], radii: Sequence[float]) -> str:
    """Path data for a tube through centres, as thick as radii there, with round ends and joints: one capsule
    per segment, all wound alike, so the filled path (nonzero) is their union."""
    parts = []
    for i in range(len(centres) - 1):
        outline = capsule(centres[i], radii[i], centres[i + 1], radii[i + 1])
        parts.append(path_d(outline) + " Z")
    return " ".join(parts)


def quad_point(a: Point, c: Point, b: Point, t: float) -> Point:
    return lerp(lerp(a, c, t), lerp(c, b, t), t)


def torso_half_width(t: float) -> float:
    """The trunk's half-width `t` of the way from the hip to the shoulder (TORSO_PROFILE, linear between)."""
    for (t0, r0), (t1, r1) in itertools.pairwise(TORSO_PROFILE):
        if t <= t1:
            return r0 + (r1 - r0) * (t - t0) / (t1 - t0)
    return TORSO_PROFILE[-1][1]


def limb_outline(points: Sequence[Point]) -> str:
    """Path data for a limb with body. A leg (hip, knee, ankle, toe): a thigh tapering to the knee, a shin to
    the ankle, a foot from heel to toe. An arm (shoulder, elbow, wrist): an upper arm, a forearm and a hand
    just past the wrist (laid flat when it rests on the floor)."""
    if len(points) == 4:
        hip, knee, ankle, toe = points
        heel = polar(ankle, angle_of(toe, ankle), HEEL_BACK)
        return " ".join(
            (
                tube_d([hip, knee, ankle], [HIP_R, KNEE_R, ANKLE_R]),
                tube_d([heel, toe], [ANKLE_R + 0.4, TOE_R]),
            )
        )
    shoulder, elbow, wrist = points[:3]
    direction = angle_of(elbow, wrist)
    hand = polar(wrist, direction, HAND_REACH)
    if hand[1] + HAND_R > GROUND:  # a hand on the floor lies flat on it, fingers forward
        forward = -1.0 if math.cos(math.radians(direction)) <= 0.2 else 1.0
        hand = (wrist[0] + forward * HAND_REACH, GROUND - HAND_R)
    return " ".join(
        (
            tube_d([shoulder, elbow, wrist], [SHOULDER_R, ELBOW_R, WRIST_R]),
            tube_d([wrist, hand], [WRIST_R, HAND_R]),
        )
    )


@dataclass(frozen=True)
class LimbShape:
    """A drawn limb's joints (a leg: hip, knee, ankle, toe; an arm: shoulder, elbow, wrist)."""

    points: tuple[Point, ...]
    far: bool
    accent: bool  # the moving part

    @property
    def is_leg(self) -> bool:
        return len(self.points) == 4


@dataclass(frozen=True)
class TorsoShape:
    hip: Point
    shoulder: Point
    bulge: Point  # how the curve's middle moves off the straight hip-shoulder line (screen units)
    accent: bool = False
    accent_pelvis: bool = False


@dataclass(frozen=True)
class HeadShape:
    shoulder: Point
    angle_deg: float  # the neck's direction (0 = right, 90 = up)
    accent: bool = False


@dataclass
class Drawing:
    """Collects SVG elements in painting order: props, far limbs, body, near limbs, marks. It also keeps the
    geometry of the figure it drew (limbs, torso, head), so tests can check words against the pose."""

    title: str
    props: list[str] = field(default_factory=list)
    far: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    limbs: list[LimbShape] = field(default_factory=list)
    torsos: list[TorsoShape] = field(default_factory=list)
    heads: list[HeadShape] = field(default_factory=list)
    ghosts: list[TorsoShape] = field(default_factory=list)  # the other end of a movement, drawn faint
    balls: list[Point] = field(
        default_factory=list
    )  # the centre of each ball drawn (a moving figure rolls it)

    # --- the figure --------------------------------------------------------------------------------------
    def limb(self, points: Sequence[Point], *, far: bool = False, accent: bool = False) -> None:
        """A limb with body: tapered bones with rounded joints, a foot (legs) or a hand (arms), one filled
        outline so a far limb's lighter paint stays even where its parts overlap."""
        self.limbs.append(LimbShape(tuple(points), far, accent))
        colour = ACCENT if accent else INK
        opacity = f' fill-opacity="{FAR_OPACITY}"' if far else ""
        outline = limb_outline(points)
        element = f'<path d="{outline}" fill="{colour}"{opacity} stroke="none"/>'
        (self.far if far else self.near).append(element)

    def torso(
        self,
        hip: Point,
        shoulder: Point,
        bulge: Point = (0.0, 0.0),
        *,
        accent: bool = False,
        accent_pelvis: bool = False,
    ) -> None:
        """A thick curved stroke from hip to shoulder; bulge moves the curve's middle (screen units).

        accent_pelvis paints the lower 40% (the pelvis and low back) in the accent colour."""
        self.torsos.append(TorsoShape(hip, shoulder, bulge, accent, accent_pelvis))
        mid = lerp(hip, shoulder, 0.5)
        control = (mid[0] + 2 * bulge[0], mid[1] + 2 * bulge[1])  # a quadratic reaches half its control
        if accent_pelvis:
            split = 0.4
            self.body.append(self._trunk(hip, control, shoulder, INK, split, 1.0))
            self.body.append(self._trunk(hip, control, shoulder, ACCENT, 0.0, split))
        else:
            self.body.append(self._trunk(hip, control, shoulder, ACCENT if accent else INK, 0.0, 1.0))

    def ghost_torso(self, hip: Point, shoulder: Point, bulge: Point) -> None:
        """The back at the other end of a to-and-fro movement: the accent, faint, behind the body. Not part of
        the figure (torsos), so a moving figure ignores it."""
        self.ghosts.append(TorsoShape(hip, shoulder, bulge, accent=True))
        mid = lerp(hip, shoulder, 0.5)
        control = (mid[0] + 2 * bulge[0], mid[1] + 2 * bulge[1])
        faint = self._trunk(hip, control, shoulder, ACCENT, 0.0, 1.0)
        self.far.append(faint.replace("/>", f' fill-opacity="{FAR_OPACITY}"/>'))

    @staticmethod
    def _trunk(a: Point, c: Point, b: Point, colour: str, t0: float, t1: float) -> str:
        """The trunk from t0 to t1 of the way along the curve a-(c)-b: pelvis, waist, chest, shoulders."""
        steps = max(2, round(TORSO_SAMPLES * (t1 - t0)))
        ts = [t0 + (t1 - t0) * i / steps for i in range(steps + 1)]
        centres = [quad_point(a, c, b, t) for t in ts]
        radii = [torso_half_width(t) for t in ts]
        return f'<path d="{tube_d(centres, radii)}" fill="{colour}" stroke="none"/>'

    def head(self, shoulder: Point, angle_deg: float, *, accent: bool = False) -> Point:
        """Neck and head from the shoulder at angle_deg; returns the head's centre."""
        self.heads.append(HeadShape(shoulder, angle_deg, accent))
        centre = polar(shoulder, angle_deg, NECK)
        colour = ACCENT if accent else INK
        neck = tube_d([shoulder, lerp(shoulder, centre, 0.7)], [NECK_R + 1.5, NECK_R])
        self.body.append(f'<path d="{neck}" fill="{colour}" stroke="none"/>')
        self.body.append(
            f'<circle cx="{fmt(centre[0])}" cy="{fmt(centre[1])}" r="{fmt(HEAD_R)}" fill="{colour}" stroke="none"/>'
        )
        return centre

    # --- props ---------------------------------------------------------------------------------------------
    def prop_style(self, filled: bool = True, width: float = PROP_W) -> str:
        fill = f'fill="{INK}" fill-opacity="{PROP_FILL_OPACITY}"' if filled else 'fill="none"'
        return f'{fill} stroke="{INK}" stroke-opacity="{PROP_STROKE_OPACITY}" stroke-width="{fmt(width)}"'

    def ball(self, centre_x: float, *, centre_y: float | None = None) -> Point:
        """The one exercise ball (BALL_R), resting on the floor unless centre_y lifts it (held against a wall)."""
        r = BALL_R
        cy = GROUND - r - PROP_W / 2 if centre_y is None else centre_y
        self.balls.append((centre_x, cy))
        self.props.append(f'<circle cx="{fmt(centre_x)}" cy="{fmt(cy)}" r="{fmt(r)}" {self.prop_style()}/>')
        # one seam line so it reads as a ball, not a plate
        a, b = polar((centre_x, cy), 200, r * 0.62), polar((centre_x, cy), 340, r * 0.62)
        c = (centre_x, cy + r * 0.15)
        self.props.append(
            f'<path d="M{fmt(a[0])} {fmt(a[1])} Q{fmt(c[0])} {fmt(c[1] + r * 0.35)} {fmt(b[0])} {fmt(b[1])}" '
            f"{self.prop_style(filled=False)}/>"
        )
        return (centre_x, cy)

    def pillow(self, centre_x: float, width: float = 64.0, height: float = 14.0) -> float:
        """A flat cushion on the floor; returns the height of its top."""
        top = GROUND - height
        self.props.append(
            f'<rect x="{fmt(centre_x - width / 2)}" y="{fmt(top)}" width="{fmt(width)}" height="{fmt(height)}" '
            f'rx="{fmt(height / 2)}" {self.prop_style()}/>'
        )
        return top

    def chair(self, front_x: float, seat_y: float, depth: float = 64.0) -> None:
        """A plain chair facing left: seat from front_x back by depth, a backrest, two legs."""
        back_x = front_x + depth
        parts = [
            path_d([(front_x, seat_y), (back_x, seat_y)]),
            path_d([(back_x, seat_y), (back_x + 6, seat_y - 82)]),
            path_d([(front_x + 4, seat_y), (front_x + 4, GROUND)]),
            path_d([(back_x, seat_y), (back_x, GROUND)]),
        ]
        for d in parts:
            self.props.append(f'<path d="{d}" {self.prop_style(filled=False, width=6)}/>')

    def wall(self, x: float) -> None:
        """A wall standing on the floor from x to the right-hand edge."""
        self.props.append(
            f'<rect x="{fmt(x)}" y="16" width="{fmt(VIEW_W - 16 - x)}" height="{fmt(GROUND - 16)}" '
            f'fill="{INK}" fill-opacity="{PROP_FILL_OPACITY}" stroke="none"/>'
        )
        self.props.append(f'<path d="{path_d([(x, 16), (x, GROUND)])}" {self.prop_style(filled=False)}/>')

    # --- marks ---------------------------------------------------------------------------------------------
    def arrow(self, start: Point, control: Point, end: Point, *, head: float = 13.0) -> None:
        """A curved accent arrow from start to end bending toward control, with a filled head at end."""
        direction = math.atan2(end[1] - control[1], end[0] - control[0])
        tip = end
        back = (tip[0] - head * math.cos(direction), tip[1] - head * math.sin(direction))
        side = head * 0.55
        left = (back[0] + side * math.sin(direction), back[1] - side * math.cos(direction))
        right = (back[0] - side * math.sin(direction), back[1] + side * math.cos(direction))
        shaft_end = lerp(tip, back, 0.7)
        d = f"M{fmt(start[0])} {fmt(start[1])} Q{fmt(control[0])} {fmt(control[1])} {fmt(shaft_end[0])} {fmt(shaft_end[1])}"
        self.marks.append(f'<path d="{d}" fill="none" stroke="{ACCENT}" stroke-width="{fmt(ARROW_W)}"/>')
        self.marks.append(
            f'<path d="{path_d([tip, left, right])} Z" fill="{ACCENT}" stroke="{ACCENT}" '
            f'stroke-width="2" stroke-linejoin="round"/>'
        )

    def calm_mark(self, centre: Point, width: float = 64.0, height: float = 7.0) -> None:
        """One slow, level wave above the body: rest and breathe calmly (the mark of staying still).

        A single wave, not widening arcs, which read as a Wi-Fi or sound symbol."""
        left = centre[0] - width / 2
        quarter = width / 4
        d = f"M{fmt(left)} {fmt(centre[1])}"
        for i in range(4):
            # alternate humps: up, down, up, down (smooth quadratic joins)
            control = (left + quarter * (i + 0.5), centre[1] + (-2 if i % 2 == 0 else 2) * height)
            end = (left + quarter * (i + 1), centre[1])
            d += f" Q{fmt(control[0])} {fmt(control[1])} {fmt(end[0])} {fmt(end[1])}"
        self.marks.append(f'<path d="{d}" fill="none" stroke="{ACCENT}" stroke-width="{fmt(ARROW_W)}"/>')

    # --- output --------------------------------------------------------------------------------------------
    def svg(self) -> str:
        floor = (
            f'<path d="M16 {fmt(FLOOR_Y)} L{VIEW_W - 16} {fmt(FLOOR_Y)}" stroke="{INK}" '
            f'stroke-width="{fmt(FLOOR_W)}"/>'
        )
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" '
            f'viewBox="0 0 {VIEW_W} {VIEW_H}" width="{VIEW_W}" height="{VIEW_H}">',
            f"<title>{self.title}</title>",
            '<g stroke-linecap="round" stroke-linejoin="round">',
            *(f"  {e}" for e in self.props),
            f"  {floor}",
            *(f"  {e}" for e in self.far),
            *(f"  {e}" for e in self.body),
            *(f"  {e}" for e in self.near),
            *(f"  {e}" for e in self.marks),
            "</g>",
            "</svg>",
        ]
        return "\n".join(lines) + "\n"


# --- building blocks for the poses ------------------------------------------------------------------------


def leg(hip: Point, ankle: Point, bend: int, foot_deg: float) -> list[Point]:
    """Hip, knee, ankle and toe for a leg reaching its ankle toward `ankle`."""
    knee, end = two_bone(hip, ankle, THIGH, SHIN, bend)
    return [hip, knee, end, polar(end, foot_deg, FOOT)]


def arm(shoulder: Point, wrist: Point, bend: int) -> list[Point]:
    elbow, end = two_bone(shoulder, wrist, UPPER_ARM, FOREARM, bend)
    return [shoulder, elbow, end]


def flat_foot_ankle(x: float) -> Point:
    """Where the ankle sits when the foot is flat on the floor."""
    return (x, LYING_LIMB_Y - 3)


SUPINE_HIP: Point = (226.0, LYING_TORSO_Y)
SUPINE_SHOULDER: Point = (SUPINE_HIP[0] - TORSO, LYING_TORSO_Y)
SUPINE_HEAD_DEG = 168.0
BENT_KNEE_ANKLE = flat_foot_ankle(SUPINE_HIP[0] + 92)


def supine_base(d: Drawing, *, arms: bool = True, pelvis_accent: bool = False, arch: float = 0.0) -> None:
    """Lying on the back, head to the left; arch lifts the low back off the floor a little."""
    d.torso(SUPINE_HIP, SUPINE_SHOULDER, (10.0 + 2 * arch, -arch), accent_pelvis=pelvis_accent)
    d.head(SUPINE_SHOULDER, SUPINE_HEAD_DEG)
    if arms:
        d.limb(arm(SUPINE_SHOULDER, (SUPINE_HIP[0] + 2, LYING_LIMB_Y), -1))


def bent_knee_leg(hip: Point, ankle: Point = BENT_KNEE_ANKLE) -> list[Point]:
    return leg(hip, ankle, 1, -4)


# --- the poses --------------------------------------------------------------------------------------------


def pelvic_tilt(hold: bool) -> Drawing:
    d = Drawing(f"Pelvic tilt: {'hold' if hold else 'start'}")
    supine_base(d, pelvis_accent=True, arch=0.0 if hold else 7.0)
    d.limb(bent_knee_leg(SUPINE_HIP))
    if hold:
        # the pelvis rocks back: the low back flattens onto the floor
        d.arrow(
            (SUPINE_HIP[0] + 18, SUPINE_HIP[1] - 34),
            (SUPINE_HIP[0] - 4, SUPINE_HIP[1] - 44),
            (SUPINE_HIP[0] - 26, SUPINE_HIP[1] - 26),
        )
    return d


def knee_to_chest(hold: bool) -> Drawing:
    d = Drawing(f"Knee to chest: {'hold' if hold else 'start'}")
    supine_base(d, arms=not hold)
    if not hold:
        d.limb(bent_knee_leg(SUPINE_HIP), accent=True)  # the leg that will come up
        return d
    d.limb(bent_knee_leg(SUPINE_HIP), far=True)
    # the near knee drawn up toward the chest, the heel folded in toward the buttock
    knee = polar(SUPINE_HIP, 118, THIGH)
    ankle = polar(knee, -6, SHIN)
    d.limb([SUPINE_HIP, knee, ankle, polar(ankle, 80, FOOT)], accent=True)
    # both hands hold behind the thigh, just below the knee (the near arm passes in front of it)
    grip = lerp(SUPINE_HIP, knee, 0.8)
    d.limb(arm(SUPINE_SHOULDER, grip, 1))
    d.arrow((knee[0] + 40, knee[1] - 26), (knee[0] + 8, knee[1] - 52), (knee[0] - 30, knee[1] - 30))
    return d


DOUBLE_HUG_KNEE_DEG = (110.0, 130.0)  # near and far thigh: apart enough that both knees show
DOUBLE_HUG_FAR_FOOT_DX = 10.0  # in the start drawing the far foot rests a little further along


def double_knee_to_chest(hold: bool) -> Drawing:
    """Both knees hugged: the far leg is drawn a little apart from the near one, so two knees and two hands
    read at a glance (from the floor, two metres away), unlike the one-knee hug."""
    d = Drawing(f"Both knees to chest: {'hold' if hold else 'start'}")
    supine_base(d, arms=not hold)
    if not hold:
        # both legs will come up: both drawn in the accent, the far one a little further along
        far_ankle = (BENT_KNEE_ANKLE[0] + DOUBLE_HUG_FAR_FOOT_DX, BENT_KNEE_ANKLE[1])
        d.limb(bent_knee_leg(SUPINE_HIP, far_ankle), far=True, accent=True)
        d.limb(bent_knee_leg(SUPINE_HIP), accent=True)
        return d
    near_deg, far_deg = DOUBLE_HUG_KNEE_DEG
    knees = []
    for angle, far in ((far_deg, True), (near_deg, False)):
        knee = polar(SUPINE_HIP, angle, THIGH)
        ankle = polar(knee, -6, SHIN)
        d.limb([SUPINE_HIP, knee, ankle, polar(ankle, 80, FOOT)], far=far, accent=True)
        knees.append(knee)
    # one hand behind each knee: the far arm behind the legs, the near arm in front
    far_knee, near_knee = knees
    d.limb(arm(SUPINE_SHOULDER, lerp(SUPINE_HIP, far_knee, 0.8), 1), far=True)
    d.limb(arm(SUPINE_SHOULDER, lerp(SUPINE_HIP, near_knee, 0.8), 1))
    top = far_knee
    d.arrow((top[0] + 40, top[1] - 26), (top[0] + 8, top[1] - 52), (top[0] - 30, top[1] - 30))
    return d


PRONE_HIP: Point = (226.0, LYING_TORSO_Y)
PRONE_SHOULDER: Point = (PRONE_HIP[0] - TORSO, LYING_TORSO_Y)


def prone_legs(d: Drawing, hip: Point) -> None:
    """Legs straight back along the floor, toes pointing away."""
    toward = (hip[0] + 2 * (THIGH + SHIN), LYING_LIMB_Y + 6)  # beyond reach: the leg lies straight
    ankle = leg(hip, toward, 1, 0)[2]
    d.limb(leg(hip, toward, 1, angle_of(ankle, (ankle[0] + FOOT, LYING_LIMB_Y))))


def prone_lying(hold: bool) -> Drawing:
    d = Drawing(f"Lying face down: {'hold' if hold else 'start'}")
    top = d.pillow(PRONE_HIP[0] + 8, width=78, height=16)
    hip = (PRONE_HIP[0], top - TORSO_W / 2 + 4)  # the pillow lifts the hips a little
    shoulder = PRONE_SHOULDER
    d.torso(hip, shoulder, (0.0, 1.0))
    prone_legs(d, hip)
    # the arm rests by the side on the floor, the hand beside the hip (in front of the pillow, so it shows);
    # the head turned to one side on the floor
    drop = LYING_LIMB_Y - shoulder[1]
    # nearly straight, so the elbow never dips into the floor
    reach = math.sqrt((UPPER_ARM + FOREARM - 0.5) ** 2 - drop**2)
    d.limb(arm(shoulder, (shoulder[0] + reach, LYING_LIMB_Y), 1))
    d.head(shoulder, 174)
    if hold:
        d.calm_mark((lerp(hip, shoulder, 0.5)[0], hip[1] - 34))
    return d


def prone_on_elbows(hold: bool) -> Drawing:
    d = Drawing(f"Lying on elbows: {'hold' if hold else 'start'}")
    hip = PRONE_HIP
    prone_legs(d, hip)
    if not hold:
        # elbows bent beside the head, forearms on the floor
        d.torso(hip, PRONE_SHOULDER, accent=True)
        d.head(PRONE_SHOULDER, 172)
        elbow = (PRONE_SHOULDER[0] - 14, LYING_LIMB_Y)
        d.limb([PRONE_SHOULDER, elbow, (elbow[0] - FOREARM, LYING_LIMB_Y)])
        return d
    # propped on the forearms, elbows under the shoulders, hips on the floor
    elbow = (PRONE_SHOULDER[0] - 22, LYING_LIMB_Y)
    shoulder = polar(elbow, 92, UPPER_ARM)
    d.torso(hip, shoulder, (4.0, 6.0), accent=True)
    d.head(shoulder, 120)
    d.limb([shoulder, elbow, (elbow[0] - FOREARM, LYING_LIMB_Y)])
    mid = lerp(hip, shoulder, 0.55)
    d.arrow((mid[0] + 14, mid[1] - 12), (mid[0] - 4, mid[1] - 34), (mid[0] - 34, mid[1] - 40), head=12)
    return d


PRESS_UP_CURVE_LOW = 30.0  # how far ahead of the hip the torso's curve still runs along the floor


PRESS_UP_TRUNK_DEG = 130  # the trunk's angle at the hold: with the hands put, the elbows stay a little bent


def prone_press_up(hold: bool) -> Drawing:
    d = Drawing(f"Press-up lying face down: {'hold' if hold else 'start'}")
    hip = PRONE_HIP
    prone_legs(d, hip)
    if not hold:
        # hands on the floor under the shoulders, elbows bent up and back
        shoulder = PRONE_SHOULDER
        d.torso(hip, shoulder, accent=True)
        d.head(shoulder, 172)
        d.limb([shoulder, (shoulder[0] + 22, shoulder[1] - 36), (shoulder[0] + 2, LYING_LIMB_Y)])
        return d
    # the chest pushed up, hips down, the hands still where they were placed (under where the shoulders lay):
    # a good way up with the elbows still a little bent, not the locked-straight end of the range
    shoulder = polar(hip, PRESS_UP_TRUNK_DEG, TORSO - 2)
    hand = (PRONE_SHOULDER[0] + 2, LYING_LIMB_Y)
    # the curve sits low: the pelvis stays along the floor and the low back bends up from it, hollow on the
    # back's side (the belly side bulges toward the floor)
    control = (hip[0] - PRESS_UP_CURVE_LOW, hip[1] - 2)
    mid = lerp(hip, shoulder, 0.5)
    d.torso(hip, shoulder, ((control[0] - mid[0]) / 2, (control[1] - mid[1]) / 2), accent=True)
    d.head(shoulder, 118)
    d.limb(arm(shoulder, hand, 1))
    mid = lerp(hip, shoulder, 0.55)
    d.arrow((mid[0] + 14, mid[1] - 12), (mid[0] - 2, mid[1] - 36), (mid[0] - 30, mid[1] - 46), head=12)
    return d


# All fours, facing left: hands under shoulders, knees under hips.
FOURS_HAND: Point = (134.0, LYING_LIMB_Y)
FOURS_SHOULDER: Point = (FOURS_HAND[0] + 2, FOURS_HAND[1] - (UPPER_ARM + FOREARM - 0.5))
FOURS_HIP: Point = (
    FOURS_SHOULDER[0] + math.sqrt(TORSO**2 - (LYING_LIMB_Y - THIGH - FOURS_SHOULDER[1]) ** 2),
    LYING_LIMB_Y - THIGH,
)
FOURS_KNEE: Point = (FOURS_HIP[0], LYING_LIMB_Y)


def fours_shoulder() -> Point:
    return FOURS_SHOULDER


def fours_base(
    d: Drawing,
    *,
    bulge: Point = (0.0, 0.0),
    head_deg: float = 190.0,
    torso_accent: bool = False,
    near_arm: bool = True,
    near_leg: bool = True,
    leg_accent: bool = False,
) -> Point:
    shoulder = fours_shoulder()
    hip = FOURS_HIP
    d.torso(hip, shoulder, bulge, accent=torso_accent)
    d.head(shoulder, head_deg)
    shin_end = (FOURS_KNEE[0] + SHIN, LYING_LIMB_Y)
    if near_leg:
        d.limb([hip, FOURS_KNEE, shin_end, polar(shin_end, -3, FOOT - 4)], accent=leg_accent)
    if near_arm:
        d.limb(arm(shoulder, FOURS_HAND, 1))
    return shoulder


CAT_CAMEL_ROUND = -16.0  # the back's curve rounded up (screen y: negative is up)
CAT_CAMEL_DIP = 14.0  # and dipped


def cat_camel(hold: bool) -> Drawing:
    """A to-and-fro movement from a neutral, flat back on all fours. The hold drawing is the move out (back
    rounded up); the start drawing is the neutral back with the other end, the dip, shown faint behind it with
    its arrow, because the session shows the start drawing for the way back ("let your back dip gently")."""
    d = Drawing(f"Cat and camel: {'back rounded up' if hold else 'flat back, then dipped'}")
    if not hold:
        shoulder = fours_base(d, head_deg=185)
        d.ghost_torso(FOURS_HIP, shoulder, (0.0, CAT_CAMEL_DIP))
        d.arrow(
            (FOURS_HIP[0] - 44, shoulder[1] - 40),
            (FOURS_HIP[0] - 46, shoulder[1] - 30),
            (FOURS_HIP[0] - 46, shoulder[1] - 14),
            head=12,
        )
    else:
        shoulder = fours_base(d, bulge=(0.0, CAT_CAMEL_ROUND), head_deg=222, torso_accent=True)
        d.arrow(
            (FOURS_HIP[0] - 48, shoulder[1] - 10),
            (FOURS_HIP[0] - 50, shoulder[1] - 34),
            (FOURS_HIP[0] - 50, shoulder[1] - 44),
            head=12,
        )
    return d


def bird_dog(hold: bool) -> Drawing:
    d = Drawing(f"Bird dog: {'hold' if hold else 'start'}")
    if not hold:
        fours_base(d, leg_accent=True)
        return d
    shoulder = fours_base(d, near_leg=False)
    hip = FOURS_HIP
    # the far arm reaches forward, the near leg back, both level with the back
    reach = polar(shoulder, 178, UPPER_ARM + FOREARM)
    d.limb([shoulder, lerp(shoulder, reach, 0.5), reach], far=True, accent=True)
    knee = polar(hip, -3, THIGH)
    ankle = polar(knee, -3, SHIN)
    d.limb([hip, knee, ankle, polar(ankle, -70, FOOT)], accent=True)
    # the supporting far knee stays on the floor
    shin_end = (FOURS_KNEE[0] + SHIN, LYING_LIMB_Y)
    d.limb([hip, FOURS_KNEE, shin_end, polar(shin_end, -3, FOOT - 4)], far=True)
    return d


# Seated on a chair, facing left.
CHAIR_SEAT_Y = GROUND - THIGH + 2 - 8


CHAIR_SEAT_W = 6.0  # the seat's stroke width (Drawing.chair)
# The glide's seat: low enough that, with the thigh resting level on it, the foot of the bent leg is flat on
# the floor with the shin upright.
GLIDE_SEAT_TOP = flat_foot_ankle(0)[1] - SHIN + LIMB_W / 2
GLIDE_SHIN_DEG = 268.0  # the bent leg's shin, from the knee: nearly upright, the foot under the knee
GLIDE_OUT_SHIN_DEG = 192.0  # the straightened leg's shin: not quite straight (never held straight)


def nerve_glide(hold: bool) -> Drawing:
    """A to-and-fro slider: the hold drawing is the move out (knee straight, looking up), the start drawing
    the other end (knee bent, looking down). Both thighs rest on the seat; the bent leg's foot is flat."""
    d = Drawing(f"Seated nerve glide: {'hold' if hold else 'start'}")
    d.chair(196, GLIDE_SEAT_TOP + CHAIR_SEAT_W / 2)
    hip: Point = (236.0, GLIDE_SEAT_TOP - LIMB_W / 2)
    shoulder = polar(hip, 96, TORSO)
    d.torso(hip, shoulder, (3.0, 0.0))
    knee = (hip[0] - THIGH, hip[1])  # the thigh lies level on the seat
    # the far leg stays bent, foot flat on the floor
    far_knee = (knee[0] + 4, knee[1])
    far_ankle = polar(far_knee, GLIDE_SHIN_DEG, SHIN)
    d.limb([hip, far_knee, far_ankle, polar(far_ankle, 180, FOOT)], far=True)
    if hold:
        d.head(shoulder, 84)
        ankle = polar(knee, GLIDE_OUT_SHIN_DEG, SHIN)
        d.limb([hip, knee, ankle, polar(ankle, 98, FOOT)], accent=True)
        d.arrow((knee[0] - 10, knee[1] + 46), (knee[0] - 44, knee[1] + 40), (knee[0] - 54, knee[1] + 18))
        d.arrow(
            (shoulder[0] - 34, shoulder[1] - 10),
            (shoulder[0] - 38, shoulder[1] - 30),
            (shoulder[0] - 26, shoulder[1] - 46),
            head=11,
        )
    else:
        d.head(shoulder, 128)
        ankle = polar(knee, GLIDE_SHIN_DEG, SHIN)
        d.limb([hip, knee, ankle, polar(ankle, 180, FOOT)], accent=True)
    # hands resting on the thighs
    d.limb(arm(shoulder, lerp(hip, knee, 0.6), 1))
    return d


def rotate(point: Point, centre: Point, degrees: float) -> Point:
    """point turned about centre (positive = anticlockwise on screen)."""
    return polar(centre, angle_of(centre, point) + degrees, distance(centre, point))


FIGURE_FOUR_LIFT_DEG = 35.0  # how far both legs turn toward the chest in the hold: a mild stretch


def figure_four(hold: bool) -> Drawing:
    """The "4": the supporting leg bent with its foot flat; the crossed leg's ankle rests on top of the
    supporting knee, its shin lying across it and its knee up above the hip (turned out toward the viewer)."""
    d = Drawing(f"Figure-four stretch: {'hold' if hold else 'start'}")
    hip = SUPINE_HIP
    supine_base(d, arms=not hold)
    support = bent_knee_leg(hip)
    knee = support[1]
    rest = (knee[0] + 8, knee[1] - LIMB_W)  # the crossed ankle, just over the top of the supporting knee
    cross_knee, ankle = min(
        (two_bone(hip, rest, THIGH, SHIN, bend) for bend in (1, -1)), key=lambda pair: pair[0][1]
    )  # the knee up, not down through the floor
    toe = polar(ankle, angle_of(cross_knee, ankle) + 10, FOOT)
    crossed = [hip, cross_knee, ankle, toe]
    if hold:
        # both legs turn together toward the chest, the supporting foot leaves the floor
        support = [rotate(p, hip, FIGURE_FOUR_LIFT_DEG) for p in support]
        crossed = [rotate(p, hip, FIGURE_FOUR_LIFT_DEG) for p in crossed]
        knee = support[1]
    d.limb(support)
    d.limb(crossed, accent=True)
    if hold:
        grip = lerp(hip, knee, 0.7)
        d.limb(arm(SUPINE_SHOULDER, grip, -1))
        foot = support[2]
        d.arrow((foot[0] + 22, foot[1] + 14), (foot[0] + 14, foot[1] - 30), (foot[0] - 26, foot[1] - 36))
    return d


def bridge_hip(shoulder: Point, ankle: Point) -> tuple[Point, list[Point]]:
    """Lift the hips until knee, hip and shoulder line up; returns the hip and the leg."""
    best: tuple[float, Point, list[Point]] | None = None
    for tenth in range(0, 600):
        angle = tenth / 10
        hip = polar(shoulder, angle, TORSO)
        limb = leg(hip, ankle, 1, -4)
        err = abs(angle_of(shoulder, hip) - angle_of(hip, limb[1]))
        if abs(distance(limb[2], ankle)) > 0.5:
            continue
        if best is None or err < best[0]:
            best = (err, hip, limb)
    assert best is not None
    return best[1], best[2]


def bridge(hold: bool) -> Drawing:
    d = Drawing(f"Bridge: {'hold' if hold else 'start'}")
    if not hold:
        supine_base(d, pelvis_accent=True)
        d.limb(bent_knee_leg(SUPINE_HIP))
        return d
    shoulder = SUPINE_SHOULDER
    hip, limb = bridge_hip(shoulder, BENT_KNEE_ANKLE)
    d.torso(hip, shoulder, accent_pelvis=True)
    d.head(shoulder, SUPINE_HEAD_DEG)
    d.limb(arm(shoulder, (shoulder[0] + 2 * TORSO, LYING_LIMB_Y), -1))  # straight along the floor
    d.limb(limb)
    d.arrow((hip[0], hip[1] - 16), (hip[0] - 2, hip[1] - 32), (hip[0], hip[1] - 50), head=12)
    return d


# The beginner range ("go only as far as your back stays flat"): the leg lowers part way with the knee still
# bent and the heel well off the floor; the arm goes back only part way over the head.
DEAD_BUG_THIGH_DEG = 50.0  # the lowered thigh's angle above the floor (90: the table-top start)
DEAD_BUG_KNEE_DEG = 125.0  # the lowered leg's knee, still bent
DEAD_BUG_ARM_DEG = 145.0  # the lowered arm's angle (90: pointing at the ceiling, 180: flat past the head)


def dead_bug(hold: bool) -> Drawing:
    d = Drawing(f"Dead bug: {'hold' if hold else 'start'}")
    hip, shoulder = SUPINE_HIP, SUPINE_SHOULDER
    d.torso(hip, shoulder, (10.0, 0.0))
    d.head(shoulder, SUPINE_HEAD_DEG)
    # table-top legs: thighs straight up, shins level
    knee = polar(hip, 90, THIGH)
    ankle = polar(knee, 0, SHIN)
    table_leg = [hip, knee, ankle, polar(ankle, 80, FOOT)]
    up_arm = [shoulder, polar(shoulder, 90, UPPER_ARM), polar(shoulder, 90, UPPER_ARM + FOREARM)]
    if not hold:
        d.limb(table_leg, accent=True)
        d.limb(up_arm)
        return d
    d.limb(table_leg, far=True)
    d.limb(up_arm)
    # the near leg lowers part way, the knee still bent; the far arm reaches back part way
    low_knee = polar(hip, DEAD_BUG_THIGH_DEG, THIGH)
    low_ankle = polar(low_knee, DEAD_BUG_THIGH_DEG - (180 - DEAD_BUG_KNEE_DEG), SHIN)
    d.limb([hip, low_knee, low_ankle, polar(low_ankle, 70, FOOT)], accent=True)
    reach = polar(shoulder, DEAD_BUG_ARM_DEG, UPPER_ARM + FOREARM)
    d.limb([shoulder, lerp(shoulder, reach, 0.5), reach], far=True, accent=True)
    d.arrow(
        (ankle[0] + 18, ankle[1] - 4),
        (low_ankle[0] + 22, ankle[1] + 4),
        (low_ankle[0] + 18, low_ankle[1] - 14),
    )
    return d


# Sitting on the ball, facing left.
SIT_BALL_X = 236.0


TUCK = "tuck"  # the pelvis tucked under, low back rounded: the ball rolls forward
ARCH = "arch"  # the pelvis tipped forward, low back arched: the ball rolls back


def on_ball(
    d: Drawing,
    *,
    pelvis: str = "",
    lift: bool = False,
    pelvis_accent: bool = False,
    leg_accent: bool = False,
) -> None:
    roll = {TUCK: -6.0, ARCH: 6.0}.get(pelvis, 0.0)
    ball = d.ball(SIT_BALL_X + roll)
    hip: Point = (SIT_BALL_X + roll / 3, ball[1] - BALL_R - TORSO_W / 2 + 4)
    if pelvis == TUCK:
        shoulder = polar(hip, 98, TORSO - 2)
        d.torso(hip, shoulder, (6.0, 0.0), accent_pelvis=True)
    elif pelvis == ARCH:
        shoulder = polar(hip, 88, TORSO - 1)
        d.torso(hip, shoulder, (-7.0, 0.0), accent_pelvis=True)
    else:
        shoulder = polar(hip, 92, TORSO)
        d.torso(hip, shoulder, (-2.0, 0.0), accent_pelvis=pelvis_accent)
    d.head(shoulder, 94)
    # feet flat, hip-width, a little in front of the knees
    ankle = flat_foot_ankle(SIT_BALL_X - THIGH + 2)
    d.limb(leg(hip, ankle, -1, 180), far=True)
    if lift:
        knee = polar(hip, 176, THIGH)
        lifted = polar(knee, 262, SHIN)
        d.limb([hip, knee, lifted, polar(lifted, 184, FOOT)], accent=True)
        d.arrow(
            (lifted[0] - 22, GROUND - 10),
            (lifted[0] - 26, GROUND - 24),
            (lifted[0] - 22, GROUND - 44),
            head=11,
        )
    else:
        d.limb(leg(hip, ankle, -1, 180), accent=leg_accent)
    # hands resting on the thighs
    d.limb(arm(shoulder, polar(hip, 180, THIGH * 0.55), 1))
    if pelvis == TUCK:
        d.arrow((hip[0] + 30, hip[1] - 26), (hip[0] + 30, hip[1] + 14), (hip[0] + 8, hip[1] + 26), head=11)
    elif pelvis == ARCH:
        d.arrow((hip[0] + 8, hip[1] + 26), (hip[0] + 32, hip[1] + 16), (hip[0] + 30, hip[1] - 24), head=11)


def ball_pelvic_tilt(hold: bool) -> Drawing:
    """A to-and-fro movement: the hold drawing is the move out (hips tucked under, the ball rolled forward),
    the start drawing the other end (low back gently arched, the ball rolled back)."""
    d = Drawing(f"Pelvic tilt on the ball: {'hips tucked under' if hold else 'low back arched'}")
    on_ball(d, pelvis=TUCK if hold else ARCH)
    return d


def ball_marching(hold: bool) -> Drawing:
    d = Drawing(f"Marching on the ball: {'hold' if hold else 'start'}")
    on_ball(d, lift=hold, leg_accent=True)
    return d


CALF_ON_BALL = BALL_R + PROP_W / 2 + LIMB_W / 2  # from the ball's centre to a shin lying on it
BALL_BRIDGE_X = 318.0
BALL_BRIDGE_CALF_AT = 0.75  # where along the shin (from the knee) it rests on the ball: near the heel


def calf_on_ball(hip: Point, ball: Point) -> list[Point] | None:
    """A leg from hip whose shin lies on top of the ball (tangent to it), touching at about mid-calf.

    Tries every touching point over the top of the ball and keeps the one whose contact is nearest
    BALL_BRIDGE_CALF_AT of the shin; None if the thigh cannot reach."""
    best: tuple[float, list[Point]] | None = None
    for tenth in range(300, 1500):
        at_deg = tenth / 10
        touch = polar(ball, at_deg, CALF_ON_BALL)
        a = math.radians(at_deg)
        down_shin = (math.sin(a), math.cos(a))  # the tangent there, pointing away from the body
        w = (touch[0] - hip[0], touch[1] - hip[1])
        wu = w[0] * down_shin[0] + w[1] * down_shin[1]
        disc = wu * wu - (w[0] ** 2 + w[1] ** 2) + THIGH**2
        if disc < 0:
            continue
        for s_knee in (wu - math.sqrt(disc), wu + math.sqrt(disc)):
            if not 0.25 * SHIN <= s_knee <= 0.9 * SHIN:
                continue
            knee = (touch[0] - s_knee * down_shin[0], touch[1] - s_knee * down_shin[1])
            if knee[1] > hip[1]:
                continue  # the knee never drops below the hip here
            ankle = (knee[0] + SHIN * down_shin[0], knee[1] + SHIN * down_shin[1])
            toe = polar(ankle, angle_of(knee, ankle) + 80, FOOT)
            err = abs(s_knee - BALL_BRIDGE_CALF_AT * SHIN)
            if best is None or err < best[0]:
                best = (err, [hip, knee, ankle, toe])
    return None if best is None else best[1]


def ball_bridge(hold: bool) -> Drawing:
    """The calves rest on top of the ball in both drawings; in the hold the hips lift until shoulder, hip
    and knee make one line (the back level, not arched)."""
    d = Drawing(f"Bridge with calves on the ball: {'hold' if hold else 'start'}")
    ball = d.ball(BALL_BRIDGE_X)
    shoulder = SUPINE_SHOULDER
    if hold:
        found: tuple[float, Point, list[Point]] | None = None
        for tenth in range(0, 400):
            hip = polar(shoulder, tenth / 10, TORSO)
            limb = calf_on_ball(hip, ball)
            if limb is None:
                continue
            err = abs(angle_of(shoulder, hip) - angle_of(hip, limb[1]))
            if found is None or err < found[0]:
                found = (err, hip, limb)
        assert found is not None
        _err, hip, leg_points = found
        d.torso(hip, shoulder, accent_pelvis=True)
        d.arrow((hip[0], hip[1] - 16), (hip[0] - 2, hip[1] - 32), (hip[0], hip[1] - 50), head=12)
    else:
        hip = SUPINE_HIP
        start_leg = calf_on_ball(hip, ball)
        assert start_leg is not None
        leg_points = start_leg
        d.torso(hip, shoulder, (10.0, 0.0), accent_pelvis=True)
    d.head(shoulder, SUPINE_HEAD_DEG)
    d.limb(arm(shoulder, (shoulder[0] + 2 * TORSO, LYING_LIMB_Y), -1))  # straight along the floor
    d.limb(leg_points)
    return d


WALL_SQUAT_WALL_X = 318.0
WALL_SQUAT_FEET_FORWARD = 36.0  # the ankles this far in front of the hips ("walk your feet forward")
WALL_SQUAT_START_KNEE_DEG = 172.0  # standing, knees soft
WALL_SQUAT_HOLD_KNEE_DEG = 140.0  # "bend your knees a little": about 40 degrees of bend, never 90
WALL_SQUAT_LEAN_DEG = 92.0  # the torso's angle from the floor, upright against the ball
WALL_SQUAT_BALL_AT = 0.35  # where along the back (from the hip) the ball sits when standing


def hip_height_for_knee(knee_deg: float, forward: float) -> float:
    """How high the hip is above the ankle when the knee is at knee_deg and the ankle `forward` ahead."""
    reach = math.sqrt(THIGH**2 + SHIN**2 - 2 * THIGH * SHIN * math.cos(math.radians(knee_deg)))
    return math.sqrt(reach**2 - forward**2)


def ball_wall_squat(hold: bool) -> Drawing:
    """The ball sits between the low back and the wall, touching both; the feet stay put while the knees bend
    a little and the back rolls down the ball (which rolls half as far, as a ball between two surfaces does)."""
    d = Drawing(f"Wall squat with a ball: {'hold' if hold else 'start'}")
    d.wall(WALL_SQUAT_WALL_X)
    ball_x = WALL_SQUAT_WALL_X - BALL_R - PROP_W / 2
    back_to_ball = BALL_R + PROP_W / 2 + TORSO_W / 2
    # the hip sits where an upright back touches the ball
    lean = math.radians(WALL_SQUAT_LEAN_DEG)
    hip_x = ball_x - back_to_ball / math.sin(lean) - WALL_SQUAT_BALL_AT * TORSO * math.cos(lean)
    ankle_x = hip_x - WALL_SQUAT_FEET_FORWARD
    ankle_y = flat_foot_ankle(ankle_x)[1]
    standing_hip_y = ankle_y - hip_height_for_knee(WALL_SQUAT_START_KNEE_DEG, WALL_SQUAT_FEET_FORWARD)
    hip_y = ankle_y - hip_height_for_knee(
        WALL_SQUAT_HOLD_KNEE_DEG if hold else WALL_SQUAT_START_KNEE_DEG, WALL_SQUAT_FEET_FORWARD
    )
    hip = (hip_x, hip_y)
    shoulder = polar(hip, WALL_SQUAT_LEAN_DEG, TORSO)
    standing_touch = polar((hip_x, standing_hip_y), WALL_SQUAT_LEAN_DEG, WALL_SQUAT_BALL_AT * TORSO)
    ball_y = standing_touch[1] + (hip_y - standing_hip_y) / 2
    d.ball(ball_x, centre_y=ball_y)
    limb = leg(hip, (ankle_x, ankle_y), -1, 180)
    d.torso(hip, shoulder)
    d.head(shoulder, 92)
    d.limb(limb, accent=True)
    # arms reach forward a little, for balance
    d.limb(arm(shoulder, polar(shoulder, 258 if not hold else 215, UPPER_ARM + FOREARM - 4), 1))
    if hold:
        d.arrow((hip[0] - 30, hip[1] - 52), (hip[0] - 33, hip[1] - 32), (hip[0] - 30, hip[1] - 12), head=12)
    return d


POSES: dict[str, Callable[[bool], Drawing]] = {
    "pelvic-tilt": pelvic_tilt,
    "knee-to-chest": knee_to_chest,
    "double-knee-to-chest": double_knee_to_chest,
    "prone-lying": prone_lying,
    "prone-on-elbows": prone_on_elbows,
    "cat-camel": cat_camel,
    "prone-press-up": prone_press_up,
    "nerve-glide": nerve_glide,
    "figure-four": figure_four,
    "bridge": bridge,
    "bird-dog": bird_dog,
    "dead-bug": dead_bug,
    "ball-pelvic-tilt": ball_pelvic_tilt,
    "ball-marching": ball_marching,
    "ball-bridge": ball_bridge,
    "ball-wall-squat": ball_wall_squat,
}


# --- the posture lessons (core/lessons.py, assets/lessons.json): one drawing each, "lesson-<id>" ----------
# Same figure, floor and colours; the accent marks what the lesson is about (a cushion, the bent knees, the
# screen at eye level). Furniture is drawn as props: plain strokes at reduced opacity.

STANDING_ANKLE_Y = LYING_LIMB_Y - 3  # flat_foot_ankle's height


def accent_cushion(d: Drawing, centre: Point, width: float = 14.0, height: float = 34.0) -> None:
    """A small cushion or rolled towel behind the low back, drawn in the accent (it is what the lesson shows)."""
    d.marks.append(
        f'<rect x="{fmt(centre[0] - width / 2)}" y="{fmt(centre[1] - height / 2)}" width="{fmt(width)}" '
        f'height="{fmt(height)}" rx="{fmt(width / 2)}" fill="{ACCENT}" fill-opacity="0.35" stroke="{ACCENT}" '
        f'stroke-width="{fmt(PROP_W)}"/>'
    )


def seated_figure(d: Drawing, hip: Point, *, lean_deg: float = 92.0) -> tuple[Point, Point]:
    """Sitting facing left: knees a little below the hips, feet flat under the knees. Returns (shoulder, knee)."""
    shoulder = polar(hip, lean_deg, TORSO)
    knee = polar(hip, 184, THIGH)
    ankle = (knee[0] + 4, STANDING_ANKLE_Y)
    d.limb([hip, (knee[0] + 6, knee[1]), (ankle[0] + 6, ankle[1]), polar(ankle, 180, FOOT)], far=True)
    d.torso(hip, shoulder, (3.0, 0.0))
    d.limb([hip, knee, ankle, polar(ankle, 180, FOOT)])
    return shoulder, knee


def lesson_sitting() -> Drawing:
    d = Drawing("Sitting well on a chair")
    d.chair(196, CHAIR_SEAT_Y + LIMB_W)
    hip: Point = (238.0, CHAIR_SEAT_Y - 2)
    shoulder, knee = seated_figure(d, hip)
    d.head(shoulder, 92)
    d.limb(arm(shoulder, lerp(hip, knee, 0.6), 1))
    accent_cushion(d, (hip[0] + 17, hip[1] - 30))
    return d


def lesson_standing() -> Drawing:
    d = Drawing("Standing tall and walking")
    stride = 26.0
    reach = THIGH + SHIN - 1
    hip: Point = (210.0, STANDING_ANKLE_Y - math.sqrt(reach**2 - stride**2))
    back, front = (hip[0] + stride, STANDING_ANKLE_Y), (hip[0] - stride, STANDING_ANKLE_Y)
    d.limb(leg(hip, back, -1, 180), far=True)
    shoulder = polar(hip, 90, TORSO)
    d.torso(hip, shoulder)
    d.head(shoulder, 90)
    d.limb(arm(shoulder, polar(shoulder, 250, UPPER_ARM + FOREARM - 6), 1), far=True)
    d.limb(leg(hip, front, -1, 180))
    d.limb(arm(shoulder, polar(shoulder, 290, UPPER_ARM + FOREARM - 6), 1))
    # stand tall: an arrow up beside the head; walking: an arrow along the floor ahead
    d.arrow(
        (shoulder[0] + 40, shoulder[1] + 6),
        (shoulder[0] + 44, shoulder[1] - 16),
        (shoulder[0] + 40, shoulder[1] - 44),
    )
    d.arrow((front[0] - 20, GROUND - 30), (front[0] - 46, GROUND - 36), (front[0] - 84, GROUND - 30))
    return d


def lesson_lifting() -> Drawing:
    d = Drawing("Lifting with bent knees, the box held close")
    ankle = flat_foot_ankle(226.0)
    hip: Point = (262.0, GROUND - 80)
    d.limb(leg(hip, (ankle[0] + 8, ankle[1]), -1, 180), far=True, accent=True)
    shoulder = polar(hip, 118, TORSO)
    # the box, close in front of the shins
    box_w, box_h = 52.0, 44.0
    box_x = ankle[0] - FOOT - 4 - box_w
    box_top = GROUND - box_h - PROP_W / 2
    d.torso(hip, shoulder, (2.0, 2.0))
    d.head(shoulder, 128)
    d.limb(leg(hip, ankle, -1, 180), accent=True)
    d.props.append(
        f'<rect x="{fmt(box_x)}" y="{fmt(box_top)}" width="{fmt(box_w)}" height="{fmt(box_h)}" rx="3" '
        f"{d.prop_style()}/>"
    )
    d.limb(arm(shoulder, (box_x + box_w - 6, box_top + 12), 1))
    d.arrow((box_x - 18, box_top + 30), (box_x - 24, box_top + 6), (box_x - 16, box_top - 26))
    return d


BED_TOP_Y = GROUND - 84.0  # the top of a mattress on a bed frame
BED_EDGE_X = 150.0


def bed(d: Drawing, left: float, right: float, top: float = BED_TOP_Y) -> None:
    """A bed seen from the side: a mattress on a frame with short legs."""
    d.props.append(
        f'<rect x="{fmt(left)}" y="{fmt(top)}" width="{fmt(right - left)}" height="30" rx="8" {d.prop_style()}/>'
    )
    for x in (left + 8, right - 8):
        d.props.append(
            f'<path d="{path_d([(x, top + 30), (x, GROUND)])}" {d.prop_style(filled=False, width=6)}/>'
        )


def lesson_bed() -> Drawing:
    """The log roll, half-way: on the side, knees bent, the legs going over the edge as the arms push up."""
    d = Drawing("Getting out of bed: the log roll")
    bed(d, BED_EDGE_X, 380)
    hip: Point = (BED_EDGE_X + 22, BED_TOP_Y - TORSO_W / 2 + 2)
    shoulder = polar(hip, 48, TORSO)
    knee = (hip[0] - THIGH + 8, hip[1] + 4)
    ankle = polar(knee, 252, SHIN)
    d.limb(
        [
            hip,
            (knee[0] + 8, knee[1] - 4),
            polar((knee[0] + 8, knee[1] - 4), 256, SHIN),
            polar(polar((knee[0] + 8, knee[1] - 4), 256, SHIN), 180, FOOT),
        ],
        far=True,
        accent=True,
    )
    d.torso(hip, shoulder, (0.0, -3.0))
    d.head(shoulder, 60)
    d.limb([hip, knee, ankle, polar(ankle, 180, FOOT)], accent=True)
    # the near hand pushes on the mattress under the shoulder
    d.limb(arm(shoulder, (shoulder[0] + 6, BED_TOP_Y - LIMB_W / 2), 1), accent=True)
    d.arrow(
        (shoulder[0] + 30, shoulder[1] + 8),
        (shoulder[0] + 40, shoulder[1] - 20),
        (shoulder[0] + 16, shoulder[1] - 44),
    )
    d.arrow((knee[0] - 14, knee[1] - 22), (knee[0] - 40, knee[1] - 6), (knee[0] - 36, knee[1] + 34))
    return d


def lesson_sleeping() -> Drawing:
    """On the side, seen from above the bed: knees bent, a pillow between the knees, the head on a pillow."""
    d = Drawing("Sleeping on the side, a pillow between the knees")
    top = GROUND - 40.0
    bed(d, 30, 372, top)
    lying = top - TORSO_W / 2
    hip: Point = (200.0, lying)
    shoulder: Point = (hip[0] - TORSO, lying)
    head = polar(shoulder, 176, NECK)
    pillow_h = 26.0
    d.props.append(
        f'<rect x="{fmt(head[0] - 40)}" y="{fmt(top - pillow_h)}" width="72" height="{fmt(pillow_h)}" rx="12" '
        f"{d.prop_style()}/>"
    )
    head_y = top - pillow_h - HEAD_R + 4
    shoulder = (shoulder[0], lying - 4)
    d.torso(hip, shoulder, (0.0, 2.0))
    d.head(shoulder, angle_of(shoulder, (head[0], head_y)))
    # both legs bent forward at hip and knee, one above the other, the pillow between the knees
    far_knee = polar(hip, 52, THIGH)
    far_ankle = polar(far_knee, -20, SHIN)
    d.limb([hip, far_knee, far_ankle, polar(far_ankle, -10, FOOT)], far=True)
    near_knee = polar(hip, 24, THIGH)
    near_ankle = polar(near_knee, -36, SHIN)
    knee_mid = lerp(far_knee, near_knee, 0.5)
    d.marks.append(
        f'<ellipse cx="{fmt(knee_mid[0] + 2)}" cy="{fmt(knee_mid[1])}" rx="12" ry="22" '
        f'transform="rotate(30 {fmt(knee_mid[0] + 2)} {fmt(knee_mid[1])})" fill="{ACCENT}" '
        f'fill-opacity="0.35" stroke="{ACCENT}" stroke-width="{fmt(PROP_W)}"/>'
    )
    d.limb([hip, near_knee, near_ankle, polar(near_ankle, -10, FOOT)])
    # the near arm rests along the body, the hand in front of the hip
    d.limb(arm(shoulder, (hip[0] - 6, lying - 14), 1))
    return d


def lesson_driving() -> Drawing:
    d = Drawing("Driving: seat close, knees bent, low back supported")
    seat_y = GROUND - 54.0
    hip: Point = (262.0, seat_y - LIMB_W)
    # the car seat: a low base tipped back a little, a tall backrest, a steering wheel on its column, a pedal
    base = [(hip[0] - 54, seat_y - 4), (hip[0] + 22, seat_y + 6)]
    rest = [(hip[0] + 22, seat_y + 6), polar((hip[0] + 22, seat_y + 6), 104, 120)]
    for part in (base, rest):
        d.props.append(f'<path d="{path_d(part)}" {d.prop_style(filled=False, width=12)}/>')
    d.props.append(
        f'<path d="{path_d([(hip[0] - 10, seat_y + 6), (hip[0] - 10, GROUND)])}" '
        f"{d.prop_style(filled=False, width=6)}/>"
    )
    shoulder = polar(hip, 102, TORSO)
    wheel_c: Point = (shoulder[0] - 66, shoulder[1] + 34)
    wheel_a, wheel_b = polar(wheel_c, 72, 30), polar(wheel_c, 252, 30)
    d.props.append(f'<path d="{path_d([wheel_a, wheel_b])}" {d.prop_style(filled=False, width=10)}/>')
    d.props.append(
        f'<path d="{path_d([wheel_c, polar(wheel_c, 200, 70)])}" {d.prop_style(filled=False, width=6)}/>'
    )
    pedal = flat_foot_ankle(166.0)
    d.limb(leg(hip, (pedal[0] + 10, pedal[1]), -1, 150), far=True)
    d.torso(hip, shoulder, (3.0, 0.0))
    d.head(shoulder, 96)
    d.limb(leg(hip, pedal, -1, 150))
    d.limb(arm(shoulder, lerp(wheel_a, wheel_b, 0.25), 1))
    accent_cushion(d, (hip[0] + 20, hip[1] - 28))
    return d


def lesson_desk() -> Drawing:
    d = Drawing("At a desk, the screen at eye level")
    d.chair(210, CHAIR_SEAT_Y + LIMB_W)
    hip: Point = (252.0, CHAIR_SEAT_Y - 2)
    desk_top = CHAIR_SEAT_Y - 30
    desk_left, desk_right = 40.0, 176.0
    d.props.append(
        f'<path d="{path_d([(desk_left, desk_top), (desk_right, desk_top)])}" {d.prop_style(filled=False, width=8)}/>'
    )
    for x in (desk_left + 6, desk_right - 6):
        d.props.append(
            f'<path d="{path_d([(x, desk_top), (x, GROUND)])}" {d.prop_style(filled=False, width=6)}/>'
        )
    shoulder, _knee = seated_figure(d, hip)
    eye = d.head(shoulder, 92)
    # the screen: its middle level with the eyes, on a stand
    screen_x = desk_left + 34
    d.props.append(
        f'<rect x="{fmt(screen_x - 6)}" y="{fmt(eye[1] - 30)}" width="12" height="60" rx="4" {d.prop_style()}/>'
    )
    d.props.append(
        f'<path d="{path_d([(screen_x + 6, eye[1] + 30), (screen_x + 6, desk_top)])}" '
        f"{d.prop_style(filled=False, width=6)}/>"
    )
    d.limb(arm(shoulder, (desk_right - 30, desk_top - LIMB_W / 2 - 2), 1))
    accent_cushion(d, (hip[0] + 17, hip[1] - 30))
    # the line of sight, level to the screen
    d.marks.append(
        f'<path d="{path_d([(eye[0] - HEAD_R - 8, eye[1]), (screen_x + 14, eye[1])])}" fill="none" '
        f'stroke="{ACCENT}" stroke-width="{fmt(ARROW_W)}" stroke-dasharray="10 10"/>'
    )
    return d


LESSON_DRAWINGS: dict[str, Callable[[], Drawing]] = {
    "lesson-sitting": lesson_sitting,
    "lesson-standing": lesson_standing,
    "lesson-lifting": lesson_lifting,
    "lesson-bed": lesson_bed,
    "lesson-sleeping": lesson_sleeping,
    "lesson-driving": lesson_driving,
    "lesson-desk": lesson_desk,
}


# --- the sitting breaks (core/sitting.py Movement, views/break_card.py): one drawing each, "break-<movement>" --
# Standing up from the desk: the same figure and floor; the accent marks the movement.

WALK_STRIDE = 34.0  # half the distance between the feet, a brisk but easy step
BACK_BEND_DEG = 68.0  # the torso's angle from the floor leaning back (90: upright; the figure faces left)


def break_walk() -> Drawing:
    d = Drawing("Sitting break: stand up and walk about")
    reach = THIGH + SHIN - 1
    hip: Point = (214.0, STANDING_ANKLE_Y - math.sqrt(reach**2 - WALK_STRIDE**2))
    back, front = (hip[0] + WALK_STRIDE, STANDING_ANKLE_Y), (hip[0] - WALK_STRIDE, STANDING_ANKLE_Y)
    d.limb(leg(hip, back, -1, 190), far=True, accent=True)
    shoulder = polar(hip, 92, TORSO)
    d.torso(hip, shoulder)
    d.head(shoulder, 92)
    # the arms swing against the legs: the far arm forward, the near arm back
    d.limb(arm(shoulder, polar(shoulder, 240, UPPER_ARM + FOREARM - 8), 1), far=True)
    d.limb(leg(hip, front, -1, 180), accent=True)
    d.limb(arm(shoulder, polar(shoulder, 300, UPPER_ARM + FOREARM - 8), 1))
    d.arrow((front[0] - 22, GROUND - 34), (front[0] - 52, GROUND - 42), (front[0] - 96, GROUND - 34))
    return d


def break_back_bends() -> Drawing:
    d = Drawing("Sitting break: standing back bends, hands on the hips")
    reach = THIGH + SHIN - 1
    feet_x = 206.0
    # the hips go forward a little
    hip: Point = (feet_x - 12, STANDING_ANKLE_Y - math.sqrt(reach**2 - 12.0**2))
    d.limb(leg(hip, (feet_x + 8, STANDING_ANKLE_Y), -1, 180), far=True)
    shoulder = polar(hip, BACK_BEND_DEG, TORSO)
    d.torso(hip, shoulder, (-5.0, 0.0), accent=True)
    head = d.head(shoulder, BACK_BEND_DEG + 4)
    d.limb(leg(hip, (feet_x, STANDING_ANKLE_Y), -1, 180))
    # hands on the hips, just behind: the elbows point back
    d.limb(arm(shoulder, (hip[0] + 10, hip[1] - 12), 1))
    # leaning back gently: a short arrow behind the head
    d.arrow((head[0] + 26, head[1] - 10), (head[0] + 52, head[1] - 6), (head[0] + 60, head[1] + 26), head=12)
    return d


def break_posture_check() -> Drawing:
    """Sitting back down well: the desk lesson's posture (feet flat, the low back supported, the screen at eye
    level), so the break and the lesson show the same thing."""
    d = lesson_desk()
    d.title = "Sitting break: posture check at the desk"
    return d


BREAK_DRAWINGS: dict[str, Callable[[], Drawing]] = {  # keyed by core.sitting.Movement's values
    "walk": break_walk,
    "back-bends": break_back_bends,
    "posture-check": break_posture_check,
}
BREAK_DRAWING_PREFIX = "break-"  # the drawing's id (and file name): "break-walk"


# --- the app icon -----------------------------------------------------------------------------------------

ICON_BACKGROUND = "#0b6b66"  # the calm teal of the light theme's accent
ICON_FIGURE = "#ffffff"
ICON_WARM = "#f59f00"
ICON_SIZES_PX = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_svg() -> str:
    """A figure in a gentle bridge on a rounded teal square, a warm sun-coloured head."""
    return (
        "\n".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" '
                'viewBox="0 0 512 512" width="512" height="512">',
                "<title>Sciatica Coach</title>",
                f'<rect x="16" y="16" width="480" height="480" rx="108" fill="{ICON_BACKGROUND}"/>',
                '<g fill="none" stroke-linecap="round" stroke-linejoin="round">',
                # the floor
                f'  <path d="M84 404 L428 404" stroke="{ICON_FIGURE}" stroke-opacity="0.55" stroke-width="30"/>',
                # shoulders on the floor, hips lifted, knee, foot flat
                f'  <path d="M168 352 Q232 296 296 196" stroke="{ICON_FIGURE}" stroke-width="72"/>',
                f'  <path d="M296 196 L396 226 L412 352" stroke="{ICON_FIGURE}" stroke-width="50"/>',
                "</g>",
                f'<circle cx="118" cy="322" r="52" fill="{ICON_WARM}"/>',
                "</svg>",
            ]
        )
        + "\n"
    )


def write_icon_pngs(svg_path: Path, out_dir: Path) -> list[Path]:
    """Render the icon SVG to square PNGs at ICON_SIZES_PX (needs a Qt GUI application)."""
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg_path.read_bytes()))
    if not renderer.isValid():
        raise ValueError(f"{svg_path} is not a valid SVG")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for size in ICON_SIZES_PX:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        target = out_dir / f"sciatica-coach-{size}.png"
        if not image.save(str(target)):
            raise OSError(f"could not write {target}")
        written.append(target)
    return written


def write_all(assets: Path) -> list[Path]:
    """Write every exercise, lesson and sitting-break SVG and the icon (SVG and PNGs) under the given assets folder."""
    written = []
    illustrations = assets / "illustrations"
    illustrations.mkdir(parents=True, exist_ok=True)
    for exercise_id, pose in POSES.items():
        for stage, hold in (("start", False), ("hold", True)):
            target = illustrations / f"{exercise_id}-{stage}.svg"
            target.write_text(pose(hold).svg(), encoding="utf-8")
            written.append(target)
    for drawing_id, lesson_pose in LESSON_DRAWINGS.items():
        target = illustrations / f"{drawing_id}.svg"
        target.write_text(lesson_pose().svg(), encoding="utf-8")
        written.append(target)
    for movement, break_pose in BREAK_DRAWINGS.items():
        target = illustrations / f"{BREAK_DRAWING_PREFIX}{movement}.svg"
        target.write_text(break_pose().svg(), encoding="utf-8")
        written.append(target)
    icons = assets / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    icon = icons / "sciatica-coach.svg"
    icon.write_text(icon_svg(), encoding="utf-8")
    written.append(icon)
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # drawing into an image needs no display
    _app = QGuiApplication.instance() or QGuiApplication([])
    written += write_icon_pngs(icon, icons / "png")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the exercise drawings and the app icon.")
    parser.add_argument("--assets", type=Path, default=asset_path(), help="the assets folder to write into")
    args = parser.parse_args(argv)
    for path in write_all(args.assets):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
