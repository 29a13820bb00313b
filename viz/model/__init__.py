"""The picture model: what a drawing shows, before any writer sees it. Labels are parsed
here (groups), graphs collapsed to boxes (collapse, boxes), and built into a Picture (build)."""
