"""Generated from ui/*.ui by forms_build.py; do not edit."""
