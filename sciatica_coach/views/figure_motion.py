"""The exercise figure between its two poses: every in-between pose made by turning joints, not by morphing
shapes. Qt-free: it builds a `Drawing` (illustration_sources) that the illustration widget paints like any
other.

`between(start, hold, t)` takes the two drawings of an exercise (as the pose source draws them) and the share
of the way from the start pose (t = 0) to the hold pose (t = 1), from core.motion. Each limb is its chain of
bones: the root joint moves in a straight line (or with the hip or shoulder it hangs from), the first bone
turns through the smaller angle from its start direction to its hold direction, each joint after it bends
steadily from its start bend to its hold bend, and every bone keeps its length (or, drawn end-on in one
pose, changes it steadily). So an in-between joint angle always lies
between the two poses' angles, and a knee that is fine in both poses is fine in between. Limbs hang from the
torso: a limb whose root is the hip or shoulder in both poses goes where the moving hip or shoulder goes. A
hand or foot that rests in the same place in both poses (the hands of a press-up, the feet of a bridge)
stays planted, and the elbow or knee bends to reach it.

Two drawings can be blended when every limb of one has its counterpart in the other (`limb_pairs`: a limb
hidden behind its twin in one pose comes out of it) and the props (chair, wall, pillow) are the same in both;
a ball rolls from where it is in one pose to where it is in the other. Otherwise the figure shows the nearer
pose. The
arrows and marks belong to the still poses and show only there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import permutations

from sciatica_coach.views.illustration_sources import (
    POSES,
    Drawing,
    HeadShape,
    LimbShape,
    Point,
    TorsoShape,
    angle_of,
    distance,
    lerp,
    polar,
    two_bone,
)

SAME_JOINT = 1.0  # canvas units: a limb's root this close to the hip or shoulder hangs from it
PLANTED = 2.0  # canvas units: a hand or foot this close to where it is in the other pose stays put


def limb_pairs(start: Drawing, hold: Drawing) -> list[tuple[LimbShape, LimbShape]] | None:
    """Each limb of the pose that shows more limbs, with its counterpart in the other (start limb first);
    None when some limb has none. A pose may hide a limb behind its twin (both knees drawn as one): the hidden
    one comes out of its twin. Limbs pair with the nearest limb of their kind (leg with leg, arm with arm)."""
    if [(len(a.points), a.far) for a in start.limbs] == [(len(b.points), b.far) for b in hold.limbs]:
        return list(zip(start.limbs, hold.limbs, strict=True))
    rich, poor = (hold, start) if len(hold.limbs) >= len(start.limbs) else (start, hold)
    if len(rich.limbs) == len(poor.limbs):
        return _one_to_one(start, hold)
    pairs = []
    for limb in rich.limbs:
        twins = [other for other in poor.limbs if len(other.points) == len(limb.points)]
        if not twins:
            return None
        twin = min(twins, key=lambda other: _apart(limb, other))
        pairs.append((twin, limb) if rich is hold else (limb, twin))
    return pairs


def _apart(a: LimbShape, b: LimbShape) -> float:
    return sum(distance(p, q) for p, q in zip(a.points, b.points, strict=True))


def _one_to_one(start: Drawing, hold: Drawing) -> list[tuple[LimbShape, LimbShape]] | None:
    """The same limbs drawn in another order: the pairing that moves the joints least."""
    best: tuple[float, list[tuple[LimbShape, LimbShape]]] | None = None
    for order in permutations(hold.limbs):
        if any(len(a.points) != len(b.points) for a, b in zip(start.limbs, order, strict=True)):
            continue
        pairs = list(zip(start.limbs, order, strict=True))
        cost = sum(_apart(a, b) for a, b in pairs)
        if best is None or cost < best[0]:
            best = (cost, pairs)
    return None if best is None else best[1]


def can_blend(start: Drawing, hold: Drawing) -> bool:
    """Whether the two poses show the same body (every limb with a counterpart) and the same props, but for
    where a ball has rolled."""
    return (
        limb_pairs(start, hold) is not None
        and len(start.torsos) == len(hold.torsos)
        and len(start.heads) == len(hold.heads)
        and len(start.balls) == len(hold.balls)
        and _fixed_props(start) == _fixed_props(hold)
    )


def _ball_props(centres: Sequence[Point]) -> list[str]:
    """The drawing of balls at `centres`, as Drawing.ball draws them."""
    balls = Drawing("")
    for x, y in centres:
        balls.ball(x, centre_y=y)
    return balls.props


def _fixed_props(drawing: Drawing) -> list[str]:
    """The props that do not move: everything but the balls."""
    rolling = set(_ball_props(drawing.balls))
    return [prop for prop in drawing.props if prop not in rolling]


def _roll_props(drawing: Drawing, start: Drawing, hold: Drawing, t: float) -> None:
    """Give `drawing` the props `t` of the way: the fixed ones as they are (in their painting order), each
    ball rolled part of the way."""
    rolling = set(_ball_props(start.balls))
    first_ball = next((i for i, prop in enumerate(start.props) if prop in rolling), len(start.props))
    drawing.props = [prop for prop in start.props[:first_ball] if prop not in rolling]
    for a, b in zip(start.balls, hold.balls, strict=True):
        x, y = lerp(a, b, t)
        drawing.ball(x, centre_y=y)
    drawing.props += [prop for prop in start.props[first_ball:] if prop not in rolling]


def turn(a_deg: float, b_deg: float, t: float) -> float:
    """The direction `t` of the way from a to b, turning through the smaller angle."""
    delta = (b_deg - a_deg + 180.0) % 360.0 - 180.0
    return a_deg + delta * t


def chain(points: Sequence[Point], other: Sequence[Point], t: float, root: Point) -> tuple[Point, ...]:
    """A chain of bones from `root`: the first bone turns `t` of the way from its direction in `points` to
    that in `other` (the smaller way round), and each joint after it bends `t` of the way from its bend in
    `points` to its bend in `other`, so no joint ever bends past either pose. A bone drawn shorter in one pose
    (seen end-on) changes its length steadily between the two."""
    direction = turn(angle_of(points[0], points[1]), angle_of(other[0], other[1]), t)
    turns = [0.0] + [a + (b - a) * t for a, b in zip(bends(points), bends(other), strict=True)]
    joints = [root]
    for index, bend in enumerate(turns):
        direction += bend
        length = _mix(distance(points[index], points[index + 1]), distance(other[index], other[index + 1]), t)
        joints.append(polar(joints[-1], direction, length))
    return tuple(joints)


def _mix(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def bends(points: Sequence[Point]) -> list[float]:
    """The bend at each inner joint of a chain, in degrees (0 = straight, -180..180), signed by its way."""
    return [
        (angle_of(points[i], points[i + 1]) - angle_of(points[i - 1], points[i]) + 180.0) % 360.0 - 180.0
        for i in range(1, len(points) - 1)
    ]


def _torso(a: TorsoShape, b: TorsoShape, t: float) -> TorsoShape:
    hip = lerp(a.hip, b.hip, t)
    _, shoulder = chain((a.hip, a.shoulder), (b.hip, b.shoulder), t, hip)
    moving = a if t < 0.5 else b
    return TorsoShape(hip, shoulder, lerp(a.bulge, b.bulge, t), moving.accent, moving.accent_pelvis)


def _root(a: Point, b: Point, t: float, joints: Sequence[tuple[Point, Point, Point]]) -> Point:
    """Where a limb's root goes: with the hip or shoulder it hangs from in both poses, or in a straight line."""
    for start_joint, hold_joint, now in joints:
        if distance(a, start_joint) <= SAME_JOINT and distance(b, hold_joint) <= SAME_JOINT:
            return now
    return lerp(a, b, t)


def between(start: Drawing, hold: Drawing, t: float) -> Drawing:
    """The pose `t` of the way from `start` to `hold` (0 and 1 give the drawings themselves)."""
    if t <= 0.0 or (not can_blend(start, hold) and t < 0.5):
        return start
    if t >= 1.0 or not can_blend(start, hold):
        return hold
    drawing = Drawing(hold.title)
    _roll_props(drawing, start, hold, t)
    joints: list[tuple[Point, Point, Point]] = []
    for a, b in zip(start.torsos, hold.torsos, strict=True):
        torso = _torso(a, b, t)
        drawing.torso(
            torso.hip, torso.shoulder, torso.bulge, accent=torso.accent, accent_pelvis=torso.accent_pelvis
        )
        joints += [(a.hip, b.hip, torso.hip), (a.shoulder, b.shoulder, torso.shoulder)]
    for a_head, b_head in zip(start.heads, hold.heads, strict=True):
        shoulder = _root(a_head.shoulder, b_head.shoulder, t, joints)
        head = HeadShape(shoulder, turn(a_head.angle_deg, b_head.angle_deg, t), b_head.accent)
        drawing.head(head.shoulder, head.angle_deg, accent=head.accent)
    richer = hold if len(hold.limbs) >= len(start.limbs) else start
    for a_limb, b_limb in limb_pairs(start, hold) or []:
        root = _root(a_limb.points[0], b_limb.points[0], t, joints)
        points = chain(a_limb.points, b_limb.points, t, root)
        points = planted(a_limb.points, b_limb.points, points)
        shown = b_limb if richer is hold else a_limb
        drawing.limb(points, far=shown.far, accent=a_limb.accent or b_limb.accent)
    return drawing


def planted(a: Sequence[Point], b: Sequence[Point], points: tuple[Point, ...]) -> tuple[Point, ...]:
    """A hand (the wrist) or foot (the ankle) that rests in the same place in both poses stays there all
    through the move: the elbow or knee is placed to reach it, bending the way it bends in `points`."""
    end = 2  # the wrist of an arm, the ankle of a leg
    if distance(a[end], b[end]) > PLANTED:
        return points
    first, second = distance(points[0], points[1]), distance(points[1], points[2])
    fixed = lerp(a[end], b[end], 0.5)
    options = [two_bone(points[0], fixed, first, second, bend) for bend in (1, -1)]
    joint, reached = min(options, key=lambda option: distance(option[0], points[1]))
    toe = tuple(
        polar(reached, angle_of(points[2], points[3]), distance(points[2], points[3])) for _ in points[3:]
    )
    return (points[0], joint, reached, *toe)


def limb_angles(limb: LimbShape) -> list[float]:
    """The bend at each inner joint of a limb, in degrees (0 = straight), signed by the way it bends."""
    return bends(limb.points)


def lowest_point(drawing: Drawing) -> float:
    """The lowest y any joint of the body reaches, counting the limbs' thickness (screen y points down)."""
    ys = [y for limb in drawing.limbs for _, y in limb.points]
    ys += [y for torso in drawing.torsos for y in (torso.hip[1], torso.shoulder[1])]
    return max(ys) if ys else -math.inf


@cache
def _poses(name: str) -> tuple[Drawing, Drawing]:
    pose = POSES[name]
    return pose(False), pose(True)


FRAME_STEPS = 60  # in-between poses per move: a 2 s move at 30 frames a second shows each of them once


def frame_svg(start_id: str, hold_id: str, t: float) -> str | None:
    """The SVG of the figure `t` of the way between an exercise's two drawings ("bridge-start" and
    "bridge-hold"), `t` rounded to one of FRAME_STEPS poses, each made once and kept; None when the two are
    not the poses of one exercise or cannot be blended."""
    return _frame_svg(start_id, hold_id, round(min(1.0, max(0.0, t)) * FRAME_STEPS))


@lru_cache(maxsize=4 * (FRAME_STEPS + 1))  # the poses of the exercise in view and the next few
def _frame_svg(start_id: str, hold_id: str, step: int) -> str | None:
    name = start_id.removesuffix("-start")
    if start_id != f"{name}-start" or hold_id != f"{name}-hold" or name not in POSES:
        return None
    start, hold = _poses(name)
    if not can_blend(start, hold):
        return None
    return between(start, hold, step / FRAME_STEPS).svg()


def prepare(start_id: str, hold_id: str) -> None:
    """Make every in-between pose of an exercise ahead of its first move (while the figure stands still:
    getting ready, the preview), so each moving frame only paints."""
    for step in range(1, FRAME_STEPS):
        _frame_svg(start_id, hold_id, step)
