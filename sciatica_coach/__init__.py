"""Sciatica Coach: a local-only desktop coach for home sciatica exercises."""

__version__ = "0.1.0"
APP_NAME = "Sciatica Coach"
APP_ID = "io.github.sciatica_coach.SciaticaCoach"
