def build_template(*a):
    pass


def build_templates_zip(*a):
    pass
