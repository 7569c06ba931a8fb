import sys

from cnnexplorer.app import main

sys.exit(main())
