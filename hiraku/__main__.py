from hiraku.cli import main

main()
