"""Platform adapters: single instance, tray, notifications, sound, speech, autostart, screen-saver inhibit.

Each service has a small interface, a real implementation and a silent one for when the platform lacks it."""
