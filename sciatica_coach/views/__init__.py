"""Thin Qt views: they render snapshots from the core and send the user's choices back."""
