"""Tests of dashboard/views/, one file per module."""
