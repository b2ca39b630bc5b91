def csp_nonce(request):
    """The request's script nonce, made at once: django-dsfr asks `if request.csp_nonce`, which
    django-csp answers False while the nonce has not been made yet."""
    nonce = getattr(request, "csp_nonce", None)
    return {"csp_nonce": str(nonce) if nonce is not None else ""}
