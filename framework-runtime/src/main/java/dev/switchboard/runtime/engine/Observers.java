package dev.switchboard.runtime.engine;

import dev.switchboard.api.Attempt;
import dev.switchboard.spi.ChatResponse;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/** Fans a call's events out to several observers, isolating the call from their failures. */
final class Observers {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Observers.class);

    private Observers() {
    }

    /** The call watcher of {@code observers} for {@code start}: no allocation when there are none. */
    static CallObserver.Call start(List<CallObserver> observers, CallObserver.CallStart start) {
        return watch(observers, start, CallObserver::start);
    }

    /** The call watcher of {@code observers} for an embeddings call. */
    static CallObserver.Call embeddings(List<CallObserver> observers, CallObserver.EmbeddingsStart start) {
        return watch(observers, start, CallObserver::embeddings);
    }

    /** {@code how} is a method reference, so that starting a call allocates nothing for it (this runs for every call). */
    private static <S> CallObserver.Call watch(List<CallObserver> observers, S start, BiFunction<CallObserver, S, CallObserver.Call> how) {
        if (observers.isEmpty()) {
            return CallObserver.Call.NOOP;
        }
        if (observers.size() == 1) {
            return safeStart(observers.get(0), start, how);
        }
        CallObserver.Call[] calls = new CallObserver.Call[observers.size()];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = safeStart(observers.get(i), start, how);
        }
        return new Fanout(calls);
    }

    private static <S> CallObserver.Call safeStart(CallObserver o, S start, BiFunction<CallObserver, S, CallObserver.Call> how) {
        try {
            CallObserver.Call c = how.apply(o, start);
            return c == null ? CallObserver.Call.NOOP : new Guarded(c);
        } catch (RuntimeException e) {
            LOG.warn("call observer {} failed at start: {}", o, e.toString());
            return CallObserver.Call.NOOP;
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("call observer scope failed to close: {}", e.toString());
            }
        }
    }

    /** Shields the call from an observer's exceptions. */
    private record Guarded(CallObserver.Call c) implements CallObserver.Call {
        @Override
        public CallObserver.AttemptWatch attempt(String provider, String model, int number) {
            try {
                CallObserver.AttemptWatch w = c.attempt(provider, model, number);
                return w == null || w == CallObserver.AttemptWatch.NOOP ? CallObserver.AttemptWatch.NOOP : new GuardedAttempt(w);
            } catch (RuntimeException e) {
                LOG.warn("call observer failed: {}", e.toString());
                return CallObserver.AttemptWatch.NOOP;
            }
        }

        @Override
        public void firstChunk() {
            try {
                c.firstChunk();
            } catch (RuntimeException e) {
                LOG.warn("call observer failed: {}", e.toString());
            }
        }

        @Override
        public void success(CallResult result) {
            try {
                c.success(result);
            } catch (RuntimeException e) {
                LOG.warn("call observer failed: {}", e.toString());
            }
        }

        @Override
        public void success(EmbeddingsResult result) {
            try {
                c.success(result);
            } catch (RuntimeException e) {
                LOG.warn("call observer failed: {}", e.toString());
            }
        }

        @Override
        public void failure(Throwable error, List<Attempt> attempts) {
            try {
                c.failure(error, attempts);
            } catch (RuntimeException e) {
                LOG.warn("call observer failed: {}", e.toString());
            }
        }
    }

    private record GuardedAttempt(CallObserver.AttemptWatch w) implements CallObserver.AttemptWatch {
        @Override
        public AutoCloseable enter() {
            try {
                return w.enter();
            } catch (RuntimeException e) {
                LOG.warn("call observer failed: {}", e.toString());
                return null;
            }
        }

        @Override
        public void end(Attempt attempt, ChatResponse response, Throwable error) {
            try {
                w.end(attempt, response, error);
            } catch (RuntimeException e) {
                LOG.warn("call observer failed: {}", e.toString());
            }
        }
    }

    /**
     * Several observers. An attempt is watched by those of them that watch attempts (a call log does not): when only
     * one does, by it alone, with no fan-out of its own.
     */
    private record Fanout(CallObserver.Call[] calls) implements CallObserver.Call {
        @Override
        public CallObserver.AttemptWatch attempt(String provider, String model, int number) {
            CallObserver.AttemptWatch first = CallObserver.AttemptWatch.NOOP;
            CallObserver.AttemptWatch[] all = null; // made only when a second observer watches
            int n = 0;
            for (CallObserver.Call c : calls) {
                CallObserver.AttemptWatch w = c.attempt(provider, model, number);
                if (w == CallObserver.AttemptWatch.NOOP) {
                    continue;
                }
                if (n == 0) {
                    first = w;
                } else {
                    if (all == null) {
                        all = new CallObserver.AttemptWatch[calls.length];
                        all[0] = first;
                    }
                    all[n] = w;
                }
                n++;
            }
            return n <= 1 ? first : attempts(Arrays.copyOf(all, n));
        }

        private static CallObserver.AttemptWatch attempts(CallObserver.AttemptWatch[] ws) {
            return new CallObserver.AttemptWatch() {
                @Override
                public AutoCloseable enter() {
                    AutoCloseable[] scopes = new AutoCloseable[ws.length];
                    for (int i = 0; i < ws.length; i++) {
                        scopes[i] = ws[i].enter();
                    }
                    return () -> {
                        for (int i = scopes.length - 1; i >= 0; i--) {
                            closeQuietly(scopes[i]);
                        }
                    };
                }

                @Override
                public void end(Attempt attempt, ChatResponse response, Throwable error) {
                    for (CallObserver.AttemptWatch w : ws) {
                        w.end(attempt, response, error);
                    }
                }
            };
        }

        @Override
        public void firstChunk() {
            for (CallObserver.Call c : calls) {
                c.firstChunk();
            }
        }

        @Override
        public void success(CallResult result) {
            for (CallObserver.Call c : calls) {
                c.success(result);
            }
        }

        @Override
        public void success(EmbeddingsResult result) {
            for (CallObserver.Call c : calls) {
                c.success(result);
            }
        }

        @Override
        public void failure(Throwable error, List<Attempt> attempts) {
            for (CallObserver.Call c : calls) {
                c.failure(error, attempts);
            }
        }
    }
}
