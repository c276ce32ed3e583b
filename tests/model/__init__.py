"""Tests of dashboard/model/, one file per module."""
