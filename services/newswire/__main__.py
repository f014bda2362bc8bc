from newswire.cli import main

raise SystemExit(main())
