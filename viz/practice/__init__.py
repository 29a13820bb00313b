"""Backprop by hand, checked: quizzes (quiz), made-up exercises (exercises), reading typed
answers (answers) and checking claimed gradients against exact ones (answer_key)."""
