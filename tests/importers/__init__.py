"""Tests of dashboard/importers/, one file per module."""
