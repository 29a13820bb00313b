"""The HTML pages: the explorer (explore), the step-through page (stepper), the practice page
(practice_page), the data they carry (page_data), the browser playground (playground: its
Python; site: the static site ``chalkgrad web`` builds), and their JS/CSS/HTML in ``assets/``."""
