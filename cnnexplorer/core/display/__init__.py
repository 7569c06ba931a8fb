"""Turning arrays into pictures: colour maps, colour-bar limits, mosaics of feature maps."""
