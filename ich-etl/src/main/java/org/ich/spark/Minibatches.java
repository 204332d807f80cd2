package org.ich.spark;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A partition's rows turned into output a minibatch at a time, lazily: the next minibatch is read from the rows only
 * when the previous one's output is used up, so an executor never holds a whole partition (of tensors) in memory.
 */
public final class Minibatches {
    private Minibatches() {
    }

    /** @param next reads one minibatch from the rows it is given (at least one row) and returns its output */
    public static <I, O> Iterator<O> lazily(Iterator<I> rows, Function<Iterator<I>, List<O>> next) {
        return new Iterator<>() {
            private Iterator<O> batch = List.<O>of().iterator();

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && rows.hasNext()) batch = next.apply(rows).iterator();
                return batch.hasNext();
            }

            @Override
            public O next() {
                if (!hasNext()) throw new NoSuchElementException();
                return batch.next();
            }
        };
    }
}
