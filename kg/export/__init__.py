"""Exports of the knowledge graph: Turtle, GraphML and an HTML view."""
