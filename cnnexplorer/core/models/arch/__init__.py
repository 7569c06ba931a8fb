"""Architectures built here: MobileNetV2 laid out for torchvision's weights, Mini Inception."""
