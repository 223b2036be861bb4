from sciatica_coach.cli.main import main

raise SystemExit(main())
