"""Tests of dashboard/views/charts/, one file per module."""
