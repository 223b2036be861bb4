"""The Qt-free core: exercise catalogue, session engine, safety rules, schedule and adherence maths.

Nothing in this package imports Qt. Everything here is plain Python that tests can drive with a fake clock.
"""
