from afterrun.cli.main import main

main()
