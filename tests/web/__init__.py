"""Tests of dashboard/web/, one file per module."""
