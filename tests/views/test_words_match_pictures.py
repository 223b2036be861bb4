"""Words match pictures: every line a session shows beside a drawing is checked against that drawing's pose.

A small lexicon maps movement words ("straighten", "look up", "lift one foot", "tuck", "round … up", …) to a
check on the geometry the drawing was generated from (`illustration_sources`: knee angles, head tilt, feet on
the floor, the curve of the back). The test walks every timed step of a session for every exercise (the plan
from `core.engine.build_plan`), asks `core.cues.cue_for` for its drawing and words, and applies every check
whose words appear. A second test proves the checks would have caught the mismatches reported in issue 14."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.cues import Pose, cue_for
from sciatica_coach.core.engine import Step, build_plan
from sciatica_coach.core.model import Exercise, Side, SideMode
from sciatica_coach.views import illustration_sources as src
from sciatica_coach.views.illustration_sources import Drawing, LimbShape, Point


def joint_angle(a: Point, b: Point, c: Point) -> float:
    """The angle at b between b->a and b->c, in degrees (180 = straight)."""
    v1, v2 = (a[0] - b[0], a[1] - b[1]), (c[0] - b[0], c[1] - b[1])
    cos = (v1[0] * v2[0] + v1[1] * v2[1]) / (math.hypot(*v1) * math.hypot(*v2))
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


@dataclass(frozen=True)
class Figure:
    """What a drawing shows, in the terms the instructions use. Every figure faces left (-x is forward)."""

    drawing: Drawing

    @property
    def legs(self) -> list[LimbShape]:
        return [limb for limb in self.drawing.limbs if limb.is_leg]

    @property
    def moving_leg(self) -> LimbShape:
        accented = [leg for leg in self.legs if leg.accent]
        return (accented or self.legs)[0]

    def knee_angle(self, leg: LimbShape | None = None) -> float:
        hip, knee, ankle, _toe = (leg or self.moving_leg).points
        return joint_angle(hip, knee, ankle)

    @staticmethod
    def foot_height(leg: LimbShape) -> float:
        """How far the lowest point of the foot is above resting on the floor."""
        return src.LYING_LIMB_Y - max(leg.points[2][1], leg.points[3][1])

    @property
    def torso(self) -> src.TorsoShape:
        return self.drawing.torsos[0]

    @property
    def head_tilt(self) -> float:
        """The neck's turn from the line of the back: positive = chin down (looking down), negative = up."""
        torso = self.torso
        back = math.degrees(math.atan2(torso.hip[1] - torso.shoulder[1], torso.shoulder[0] - torso.hip[0]))
        return self.drawing.heads[0].angle_deg - back

    @property
    def lying(self) -> bool:
        return all(y > src.GROUND - 2 * src.TORSO_W for y in (self.torso.hip[1], self.torso.shoulder[1]))


@dataclass(frozen=True)
class Check:
    words: str  # a regular expression, matched against each line in lower case
    means: str
    holds: Callable[[Figure], bool]


LEXICON = (
    Check(
        r"\bstraighten|\bstraight (leg|knee)", "the moving knee is straight", lambda f: f.knee_angle() > 160
    ),
    Check(r"\bbend (the|your) knees?", "the moving knee is bent", lambda f: f.knee_angle() < 150),
    Check(r"\blook(ing)? up\b", "the head is tipped back", lambda f: f.head_tilt < -5),
    Check(r"\blook(ing)? down\b", "the head is tipped forward", lambda f: f.head_tilt > 15),
    Check(
        r"\blift one foot\b|\boff the floor\b",
        "a foot is off the floor",
        lambda f: any(f.foot_height(leg) > 10 for leg in f.legs),
    ),
    Check(
        r"\bput (it|the foot) down\b|\bfeet flat\b",
        "every foot is on the floor",
        lambda f: all(f.foot_height(leg) < 6 for leg in f.legs),
    ),
    Check(r"\btuck your hips\b", "the pelvis is tucked (low back rounded)", lambda f: f.torso.bulge[0] > 2),
    Check(
        r"\barch your low back\b|\btip your hips back\b",
        "the low back is arched",
        lambda f: f.torso.bulge[0] < -2,
    ),
    Check(r"\bround your back up\b", "the back is rounded up", lambda f: f.torso.bulge[1] < -5),
    Check(
        r"\bback dip\b|\bdip gently\b",
        "the back dips down",
        # the back itself, or the movement's other end drawn faint behind it (cat and camel's start drawing)
        lambda f: any(t.bulge[1] > 5 for t in (f.torso, *f.drawing.ghosts)),
    ),
    Check(
        r"\blift your hips\b",
        "the hips are lifted off the floor",
        lambda f: f.torso.hip[1] < src.LYING_TORSO_Y - 15,
    ),
    Check(r"\blie (on your back|face down)\b", "the body lies on the floor", lambda f: f.lying),
    Check(
        r"\bpush your chest up\b|\bprop yourself up\b",
        "the chest is lifted",
        lambda f: f.torso.shoulder[1] < src.LYING_TORSO_Y - 15 and f.torso.hip[1] > src.LYING_TORSO_Y - 5,
    ),
    Check(
        r"\btowards your chest\b",
        "a knee is drawn up above the hip",
        lambda f: any(leg.points[1][1] < leg.points[0][1] - src.THIGH / 2 for leg in f.legs),
    ),
    Check(
        r"\bon hands and knees\b",
        "on all fours: a knee on the floor, the back level above it",
        lambda f: not f.lying and any(abs(leg.points[1][1] - src.LYING_LIMB_Y) < 2 for leg in f.legs),
    ),
    Check(
        r"\bknees behind (your )?toes\b",
        "the knee is behind the toes",
        lambda f: f.moving_leg.points[1][0] > f.moving_leg.points[3][0],
    ),
    Check(r"\bstand\b", "standing: the legs nearly straight", lambda f: f.knee_angle() > 160),
)


def mismatches(line: str, drawing: Drawing) -> list[str]:
    """Every lexicon check whose words appear in ``line`` and whose pose the drawing does not show."""
    figure = Figure(drawing)
    return [
        check.means for check in LEXICON if re.search(check.words, line.lower()) and not check.holds(figure)
    ]


def drawing_for(exercise: Exercise, pose: Pose) -> Drawing:
    return src.POSES[exercise.id](pose is Pose.HOLD)


def session_cues(exercise: Exercise, side_mode: SideMode) -> list[tuple[Step, Pose, tuple[str, ...]]]:
    """Every timed step of a session of this exercise alone (plus a preview of it), with its cue."""
    item = load_catalogue().default_item(exercise.id)
    plan = build_plan([item.__class__(exercise.id, item.dose, side_mode), item])
    shown: list[tuple[Step, Pose, tuple[str, ...]]] = []
    for planned in plan:
        if planned.step is Step.DONE:
            continue
        cue = cue_for(exercise, planned.step, planned.side, set_no=planned.set_no, sets=item.dose.sets)
        shown.append((planned.step, cue.pose, cue.lines))
    return shown


EXERCISES = list(load_catalogue().exercises.values())


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_line_shown_with_a_drawing_matches_its_pose(exercise: Exercise) -> None:
    problems = []
    for side_mode in SideMode:
        for step, pose, lines in session_cues(exercise, side_mode):
            drawing = drawing_for(exercise, pose)
            for line in lines:
                problems += [
                    f"{step.value} ({pose.value} drawing): {line!r} but not {m}"
                    for m in mismatches(line, drawing)
                ]
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_step_of_every_exercise_is_shown_during_a_session(exercise: Exercise) -> None:
    shown = {line for _step, _pose, lines in session_cues(exercise, exercise.side_mode) for line in lines}
    assert {step.text for step in exercise.steps} <= shown


def test_the_lexicon_recognises_movement_words_in_the_catalogue() -> None:
    """The checks are not idle: most exercises' words trigger at least one of them."""
    checked = {
        exercise.id
        for exercise in EXERCISES
        for step in exercise.steps
        if any(re.search(check.words, step.text.lower()) for check in LEXICON)
    }
    assert len(checked) >= len(EXERCISES) - 2, sorted({e.id for e in EXERCISES} - checked)


@pytest.mark.parametrize(
    ("exercise_id", "old_line", "caught"),
    [
        # Today's session showed steps[2] during HOLD beside the hold drawing.
        ("nerve-glide", "Bend the knee back down as you look down.", "the moving knee is bent"),
        ("ball-pelvic-tilt", "Then tip your hips back to roll it back.", "the low back is arched"),
        ("ball-marching", "Put it down, then lift the other.", "every foot is on the floor"),
        ("cat-camel", "Then let your back dip gently, chest forward.", "the back dips down"),
    ],
)
def test_the_checks_catch_the_reported_mismatches(exercise_id: str, old_line: str, caught: str) -> None:
    hold = src.POSES[exercise_id](True)
    assert caught in mismatches(old_line, hold)


def test_a_movement_shows_each_direction_with_its_own_drawing() -> None:
    glide = load_catalogue().get("nerve-glide")
    out = cue_for(glide, Step.HOLD, Side.LEFT)
    back = cue_for(glide, Step.REST_REP, Side.LEFT)
    assert (out.pose, back.pose) == (Pose.HOLD, Pose.START)
    assert "Straighten one knee as you look up." in out.lines
    assert back.lines == ("Bend the knee back down as you look down.",)
    assert not mismatches(out.text, drawing_for(glide, out.pose))
    assert not mismatches(back.text, drawing_for(glide, back.pose))


# --- the clinical review (issue 23, point 3): each drawing checked against what its words and the reviewer ask


def balls(drawing: Drawing) -> list[tuple[Point, float]]:
    """Every ball the drawing shows (a prop circle that carries a seam): (centre, radius)."""
    found = []
    for element in drawing.props:
        match = re.match(r'<circle cx="([-\d.]+)" cy="([-\d.]+)" r="([-\d.]+)"', element)
        if match:
            found.append(((float(match[1]), float(match[2])), float(match[3])))
    return found


def distance_to_segment(p: Point, a: Point, b: Point) -> tuple[float, float]:
    """The distance from p to the segment a-b, and where along it (0 at a, 1 at b) the nearest point lies."""
    ab = (b[0] - a[0], b[1] - a[1])
    t = ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1]) / (ab[0] ** 2 + ab[1] ** 2)
    t = max(0.0, min(1.0, t))
    nearest = (a[0] + t * ab[0], a[1] + t * ab[1])
    return math.hypot(p[0] - nearest[0], p[1] - nearest[1]), t


BALL_EXERCISES = ("ball-pelvic-tilt", "ball-marching", "ball-bridge", "ball-wall-squat")


@pytest.mark.parametrize("exercise_id", BALL_EXERCISES)
@pytest.mark.parametrize("hold", [False, True], ids=["start", "hold"])
def test_every_ball_drawing_shows_the_one_ball_size(exercise_id: str, hold: bool) -> None:
    shown = balls(src.POSES[exercise_id](hold))
    assert len(shown) == 1
    assert shown[0][1] == src.BALL_R


@pytest.mark.parametrize("hold", [False, True], ids=["start", "hold"])
def test_wall_squat_ball_touches_the_back(hold: bool) -> None:
    drawing = src.POSES["ball-wall-squat"](hold)
    (centre, radius), torso = balls(drawing)[0], drawing.torsos[0]
    gap, along = distance_to_segment(centre, torso.hip, torso.shoulder)
    touching = radius + src.PROP_W / 2 + src.TORSO_W / 2
    assert abs(gap - touching) < 3, (gap, touching)
    assert 0.1 < along < 0.7  # against the low and middle back, not past the hip or the shoulder


def test_wall_squat_hold_is_a_small_knee_bend() -> None:
    """'Bend your knees a little', 'Only a small knee bend': about 40 degrees of bend, far from a 90-degree squat."""
    hold = Figure(src.POSES["ball-wall-squat"](True))
    assert 125 <= hold.knee_angle() <= 155
    start = Figure(src.POSES["ball-wall-squat"](False))
    assert start.knee_angle() > 160  # standing


@pytest.mark.parametrize("hold", [False, True], ids=["start", "hold"])
def test_ball_bridge_calves_rest_on_the_ball(hold: bool) -> None:
    drawing = src.POSES["ball-bridge"](hold)
    (centre, radius) = balls(drawing)[0]
    _hip, knee, ankle, _toe = Figure(drawing).moving_leg.points
    gap, along = distance_to_segment(centre, knee, ankle)
    assert abs(gap - (radius + src.PROP_W / 2 + src.LIMB_W / 2)) < 2, gap
    assert 0.3 < along < 0.95  # the calf, not the knee or the foot


def chair_seat(drawing: Drawing) -> tuple[float, float, float]:
    """The chair's seat (the first level stroke among the props): its left x, right x, and top y."""
    for element in drawing.props:
        match = re.search(r'd="M([-\d.]+) ([-\d.]+) L([-\d.]+) ([-\d.]+)".*stroke-width="([\d.]+)"', element)
        if match and match[2] == match[4]:
            return float(match[1]), float(match[3]), float(match[2]) - float(match[5]) / 2
    raise AssertionError("no chair seat drawn")


@pytest.mark.parametrize("hold", [False, True], ids=["start", "hold"])
def test_nerve_glide_thighs_rest_on_the_seat(hold: bool) -> None:
    drawing = src.POSES["nerve-glide"](hold)
    left, right, top = chair_seat(drawing)
    for leg in Figure(drawing).legs:
        hip, knee = leg.points[0], leg.points[1]
        # the thigh's underside over the seat, at the hip and at the seat's front edge
        for x in (hip[0], max(left, knee[0])):
            t = (x - hip[0]) / (knee[0] - hip[0])
            underside = hip[1] + t * (knee[1] - hip[1]) + src.LIMB_W / 2
            assert abs(underside - top) < 1.5, (x, underside, top)
        assert left <= hip[0] <= right


def test_nerve_glide_starts_with_the_foot_on_the_floor() -> None:
    start = Figure(src.POSES["nerve-glide"](False))
    for leg in start.legs:
        assert Figure.foot_height(leg) < 4
        _hip, knee, ankle, _toe = leg.points
        assert abs(distance_of(knee, ankle) - src.SHIN) < 0.5  # a real shin, not stretched to reach the floor


def distance_of(a: Point, b: Point) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


@pytest.mark.parametrize("hold", [False, True], ids=["start", "hold"])
def test_lying_face_down_arms_rest_by_the_sides(hold: bool) -> None:
    """'Lie face down, arms by your sides': the hand lies on the floor beside the hip, not above the head and
    not hidden inside the body."""
    drawing = src.POSES["prone-lying"](hold)
    torso = drawing.torsos[0]
    arms = [limb for limb in drawing.limbs if not limb.is_leg]
    assert arms
    for limb in arms:
        wrist = limb.points[-1]
        assert abs(wrist[0] - torso.hip[0]) < src.TORSO / 4  # beside the hip
        assert abs(wrist[1] - src.LYING_LIMB_Y) < 2  # resting on the floor


def test_lying_face_down_relax_mark_is_not_widening_arcs() -> None:
    """The reviewer read three concentric arcs as a Wi-Fi sign: the calm mark is a single stroke with no arcs."""
    marks = src.POSES["prone-lying"](True).marks
    assert len(marks) == 1
    assert not re.search(r"\bA[-\d]", marks[0])


def belly_side_bulge(torso: src.TorsoShape) -> float:
    """How far the middle of the back's curve moves toward the floor side of the hip-shoulder line (a prone
    figure's belly side); positive = the low back is hollow (an extension curve)."""
    dx, dy = torso.shoulder[0] - torso.hip[0], torso.shoulder[1] - torso.hip[1]
    length = math.hypot(dx, dy)
    normal = (-dy / length, dx / length)  # perpendicular to the back
    if normal[1] < 0:
        normal = (-normal[0], -normal[1])  # the one pointing down, toward the floor
    return torso.bulge[0] * normal[0] + torso.bulge[1] * normal[1]


def test_press_up_hold_curves_the_low_back() -> None:
    torso = src.POSES["prone-press-up"](True).torsos[0]
    assert belly_side_bulge(torso) > 5
    # the bend is in the low back: the curve's control point lies nearer the hip than the shoulder
    control = (
        (torso.hip[0] + torso.shoulder[0]) / 2 + 2 * torso.bulge[0],
        (torso.hip[1] + torso.shoulder[1]) / 2 + 2 * torso.bulge[1],
    )
    assert distance_of(control, torso.hip) < distance_of(control, torso.shoulder)


def test_cat_camel_starts_from_a_flat_back_and_shows_both_ends() -> None:
    start, hold = src.POSES["cat-camel"](False), src.POSES["cat-camel"](True)
    assert abs(start.torsos[0].bulge[1]) < 3 and abs(start.torsos[0].bulge[0]) < 3  # neutral: a flat back
    assert hold.torsos[0].bulge[1] < -5  # one end: rounded up
    assert [ghost.bulge[1] > 5 for ghost in start.ghosts] == [True]  # the other end: dipped, drawn faint
    assert len(start.torsos) == 1  # the faint end is not a second figure


def test_figure_four_start_reads_as_a_four() -> None:
    """'Cross one ankle over the other knee': the crossed leg's ankle rests on the supporting knee, and its knee
    stands up off the floor (drawn flat along the floor it did not read as crossed)."""
    for hold in (False, True):
        figure = Figure(src.POSES["figure-four"](hold))
        crossed = next(leg for leg in figure.legs if leg.accent)
        support = next(leg for leg in figure.legs if not leg.accent)
        assert distance_of(crossed.points[2], support.points[1]) < src.LIMB_W + 4
        assert crossed.points[1][1] < crossed.points[0][1] - src.THIGH / 2
    start = Figure(src.POSES["figure-four"](False))
    support = next(leg for leg in start.legs if not leg.accent)
    assert Figure.foot_height(support) < 6  # "knees bent", the supporting foot on the floor


def test_dead_bug_hold_shows_the_beginner_range() -> None:
    """'Go only as far as your back stays flat': the lowered leg keeps its knee bent and its heel well off the
    floor, and the arm goes back only part way; the low back stays down (no arch)."""
    drawing = src.POSES["dead-bug"](True)
    figure = Figure(drawing)
    hip, knee, _ankle, _toe = figure.moving_leg.points
    thigh_above_floor = math.degrees(math.atan2(hip[1] - knee[1], knee[0] - hip[0]))
    assert 35 <= thigh_above_floor <= 70
    assert figure.knee_angle() < 150
    assert Figure.foot_height(figure.moving_leg) > src.SHIN / 2
    arm = next(limb for limb in drawing.limbs if not limb.is_leg and limb.accent)
    assert src.LYING_LIMB_Y - arm.points[-1][1] > 20  # the hand stays well above the floor
    assert figure.torso.bulge[1] >= 0  # the back not arched off the floor
