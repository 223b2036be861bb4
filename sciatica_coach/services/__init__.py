"""The app's services: the glue between the Qt-free core, storage and the platform, used by the views and the
command line. Each module owns one thing the person has: their routine and plans (routines), their history and
its figures (progress_data), the safety answers (safety_state), the cautions (cautions), the reminders (reminders)
and the report for a clinician (report, report_data, progress_text for its words)."""
