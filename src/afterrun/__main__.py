from afterrun.cli.start import main

main()
