"""The HTML pages: the explorer (explore), the step-through page (stepper), the practice page
(practice_page), the data they carry (page_data), and their JS/CSS/HTML in ``assets/``."""
