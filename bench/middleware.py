"""Counts the database queries of each request of the benchmark's server (``bench.settings``)."""

from django.db import connections


def count_queries(get_response):
    def middleware(request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = get_response(request)
            # A template response renders after the view returns: count its queries too.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response["X-Bench-Queries"] = str(count)
        return response

    return middleware
