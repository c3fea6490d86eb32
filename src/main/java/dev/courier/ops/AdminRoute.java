package dev.courier.ops;

/**
 * One endpoint of the {@link AdminServer}: answers a GET (or HEAD) of a path it was registered for. Called on the
 * admin server's threads, several at once; it must answer within a second or two (a probe's timeout).
 */
@FunctionalInterface
public interface AdminRoute {

    /**
     * @param path the request's path, decoded, without the query (for a prefix route, the whole path, so
     *             {@code /requests/abc} for the route {@code /requests/})
     */
    AdminResponse answer(String path);
}
