package dev.switchboard.runtime.calllog;

import java.util.List;

/**
 * One page of search results, newest first. Immutable.
 *
 * @param records    the records
 * @param nextCursor what to pass as {@link CallLogFilter#cursor()} for the next page; null on the last page
 */
public record CallLogPage(List<CallRecord> records, String nextCursor) {
    /** Copies the records. */
    public CallLogPage {
        records = List.copyOf(records);
    }
}
