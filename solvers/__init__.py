"""solvers: the NumPy network math that grades every answer (placeholder)."""
