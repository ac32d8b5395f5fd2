"""What the classifier raises: one base class, one subclass per kind of trouble."""


class ClassifierError(Exception):
    """Base class of the classifier's own errors."""


class TrainingDataError(ClassifierError):
    """Training or evaluation data that cannot be used; the message says why."""


class ModelFileError(ClassifierError):
    """A model artifact that is corrupt, tampered with, or of another format."""


class LayoutMismatchError(ModelFileError):
    """A model trained on other feature columns than this code produces."""

    def __init__(self, reason: str, *, stored: object, expected: object) -> None:
        super().__init__(f"its feature layout does not match this code's ({reason})")
        self.reason = reason
        self.stored = stored
        self.expected = expected
