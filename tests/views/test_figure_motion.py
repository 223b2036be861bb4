"""The figure between its poses (views/figure_motion.py), checked over every frame of every exercise: bones
keep their length, every joint bends no further than the two drawn poses do, and the body never goes
through the floor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from sciatica_coach.views.figure_motion import (
    between,
    can_blend,
    chain,
    distance,
    limb_angles,
    limb_pairs,
    lowest_point,
    turn,
)
from sciatica_coach.views.illustration_sources import BALL_R, GROUND, POSES, Drawing, LimbShape

FRAMES = [i / 60 for i in range(61)]  # two seconds of a move at 30 frames a second
BLENDED = sorted(name for name, pose in POSES.items() if can_blend(pose(False), pose(True)))
NOT_YET_BLENDED: set[str] = set()  # every exercise moves


def test_turning_takes_the_shorter_way_round() -> None:
    assert turn(170.0, -170.0, 0.5) in (180.0, -180.0)
    assert turn(10.0, 50.0, 0.25) == pytest.approx(20.0)
    assert turn(-10.0, 350.0, 0.5) == pytest.approx(-10.0)


def test_a_chain_keeps_its_bones_and_reaches_the_other_pose() -> None:
    straight = ((0.0, 0.0), (10.0, 0.0), (20.0, 0.0))
    bent = ((0.0, 0.0), (10.0, 0.0), (10.0, -10.0))
    assert chain(straight, bent, 1.0, (0.0, 0.0))[2] == pytest.approx((10.0, -10.0))
    half = chain(straight, bent, 0.5, (0.0, 0.0))
    assert distance(half[1], half[2]) == pytest.approx(10.0)
    assert limb_angles_of(half) == pytest.approx([45.0])
    folded = ((0.0, 0.0), (10.0, 0.0), (1.0, 1.0))  # bent back on itself the other way: never through 180
    assert all(abs(bend) <= 175.0 for t in FRAMES for bend in limb_angles_of(chain(folded, bent, t, (0, 0))))


def limb_angles_of(points: tuple[tuple[float, float], ...]) -> list[float]:
    from sciatica_coach.views.illustration_sources import LimbShape

    return limb_angles(LimbShape(points, far=False, accent=False))


def test_which_exercises_move_smoothly_and_which_still_switch() -> None:
    assert set(POSES) - set(BLENDED) == NOT_YET_BLENDED


def test_a_limb_hidden_behind_its_twin_comes_out_of_it() -> None:
    """Knee to chest: one leg is drawn for both at the start; both legs (and the arm) are paired."""
    start, hold = POSES["knee-to-chest"](False), POSES["knee-to-chest"](True)
    assert len(start.limbs) < len(hold.limbs)
    pairs = pair_list(start, hold)
    assert [b for _a, b in pairs] == hold.limbs
    assert all(len(a.points) == len(b.points) for a, b in pairs)


def test_poses_that_do_not_match_show_the_nearer_still_pose() -> None:
    start, hold = POSES["bridge"](False), POSES["ball-bridge"](True)  # another body, other props
    assert not can_blend(start, hold)
    assert between(start, hold, 0.3) is start
    assert between(start, hold, 0.7) is hold


@pytest.mark.parametrize("name", ["ball-pelvic-tilt", "ball-wall-squat"])
def test_a_ball_rolls_between_its_places_and_stays_one_ball(name: str) -> None:
    start, hold = POSES[name](False), POSES[name](True)
    assert start.balls != hold.balls  # it rolls in this exercise
    for t in FRAMES[1:-1]:
        frame = between(start, hold, t)
        (centre,) = frame.balls
        (a,), (b,) = start.balls, hold.balls
        assert distance(centre, a) + distance(centre, b) == pytest.approx(distance(a, b), abs=1e-6)
        assert sum("<circle" in prop for prop in frame.props) == 1


@pytest.mark.parametrize("name", BLENDED)
def test_the_ends_of_a_move_are_the_drawn_poses(name: str) -> None:
    start, hold = POSES[name](False), POSES[name](True)
    assert between(start, hold, 0.0) is start
    assert between(start, hold, 1.0) is hold
    nearly = between(start, hold, 0.999)
    pairs = limb_pairs(start, hold)
    assert pairs is not None
    for (_a, drawn), made in zip(pairs, nearly.limbs, strict=False):
        for a, b in zip(drawn.points, made.points, strict=True):
            assert distance(a, b) < 1.0


def pair_list(start: Drawing, hold: Drawing) -> list[tuple[LimbShape, LimbShape]]:
    pairs = limb_pairs(start, hold)
    assert pairs is not None
    return pairs


def made_limbs(frame: Drawing) -> list[LimbShape]:
    """The limbs of an in-between frame in the order they were made (the pairs' order)."""
    return frame.limbs


def frames_of(name: str) -> tuple[Drawing, Drawing, list[Drawing]]:
    start, hold = POSES[name](False), POSES[name](True)
    return start, hold, [between(start, hold, t) for t in FRAMES]


@pytest.mark.parametrize("name", BLENDED)
def test_every_frame_keeps_its_bones_and_bends_no_further_than_the_poses(name: str) -> None:
    start, hold, frames = frames_of(name)
    for frame in frames[1:-1]:
        for (a, b), now in zip(pair_list(start, hold), made_limbs(frame), strict=True):
            for i in range(len(a.points) - 1):
                lengths = distance(a.points[i], a.points[i + 1]), distance(b.points[i], b.points[i + 1])
                assert (
                    min(lengths) - 1e-6 <= distance(now.points[i], now.points[i + 1]) <= max(lengths) + 1e-6
                )
            for bend_a, bend_b, bend in zip(limb_angles(a), limb_angles(b), limb_angles(now), strict=True):
                assert min(bend_a, bend_b) - 1.0 <= bend <= max(bend_a, bend_b) + 1.0, (name, bend_a, bend_b)


@pytest.mark.parametrize("name", BLENDED)
def test_no_frame_goes_through_the_floor(name: str) -> None:
    start, hold, frames = frames_of(name)
    floor = max(lowest_point(start), lowest_point(hold), GROUND)
    assert max(lowest_point(frame) for frame in frames) <= floor + 0.5, name


def into_ball(frame: Drawing) -> float:
    """How far the deepest joint of the body sits inside a ball (0 when none is)."""
    joints = [p for limb in frame.limbs for p in limb.points]
    joints += [p for torso in frame.torsos for p in (torso.hip, torso.shoulder)]
    return max((BALL_R - distance(j, c) for c in frame.balls for j in joints), default=0.0)


@pytest.mark.parametrize("name", [name for name in BLENDED if POSES[name](False).balls])
def test_no_frame_sinks_into_the_ball(name: str) -> None:
    start, hold, frames = frames_of(name)
    deepest = max(into_ball(start), into_ball(hold), 0.0)
    assert max(into_ball(frame) for frame in frames) <= deepest + 1.0, name


@pytest.mark.parametrize("name", BLENDED)
def test_limbs_stay_on_the_body_in_every_frame(name: str) -> None:
    """A limb that hangs from the hip or shoulder in both poses hangs from it all the way."""
    start, hold, frames = frames_of(name)
    for frame in frames[1:-1]:
        joints = [p for torso in frame.torsos for p in (torso.hip, torso.shoulder)]
        for (a, b), now in zip(pair_list(start, hold), made_limbs(frame), strict=True):
            attached = any(
                distance(a.points[0], ta) <= 1.0 and distance(b.points[0], tb) <= 1.0
                for sa, sb in zip(start.torsos, hold.torsos, strict=True)
                for ta, tb in ((sa.hip, sb.hip), (sa.shoulder, sb.shoulder))
            )
            if attached:
                assert min(distance(now.points[0], joint) for joint in joints) < 1e-6


@pytest.mark.parametrize("name", BLENDED)
def test_a_frame_is_a_drawing_qt_can_paint(qapp: QApplication, name: str) -> None:
    start, hold = POSES[name](False), POSES[name](True)
    frame = between(start, hold, 0.5)
    assert QSvgRenderer(QByteArray(frame.svg().encode())).isValid()
    assert frame.marks == []  # arrows belong to the still poses
    assert any(limb.accent for limb in frame.limbs) == any(limb.accent for limb in hold.limbs + start.limbs)


def test_the_press_up_s_hands_stay_where_they_were_put() -> None:
    """ "Hands flat under your shoulders", then push the chest up: the hands never leave the floor."""
    start, hold, frames = frames_of("prone-press-up")
    hand = start.limbs[-1].points[-1]
    assert distance(hold.limbs[-1].points[-1], hand) < 1.0
    assert abs(hand[0] - start.torsos[0].shoulder[0]) < 5.0  # under where the shoulders lay
    for frame in frames:
        assert distance(frame.limbs[-1].points[-1], hand) < 1.0
