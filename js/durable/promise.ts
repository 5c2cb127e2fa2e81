/** The lazy promise every DurableContext operation returns. */

/**
 * A promise whose executor runs only when it is first awaited or chained
 * (`then`/`catch`/`finally`), like the official SDK's. Operations do their first
 * phase (replay lookup, START) eagerly and put the part that waits behind this, so
 * an operation that is never awaited never holds the invocation open.
 */
export class DurablePromise<T> implements Promise<T> {
  #executor: (() => Promise<T>) | undefined;
  #promise: Promise<T> | undefined;

  constructor(executor: () => Promise<T>) {
    this.#executor = executor;
  }

  #run(): Promise<T> {
    if (this.#promise === undefined) {
      const executor = this.#executor!;
      this.#executor = undefined;
      try {
        this.#promise = executor();
      } catch (e) {
        this.#promise = Promise.reject(e);
      }
    }
    return this.#promise;
  }

  then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#run().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#run().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#run().finally(onfinally);
  }

  get [Symbol.toStringTag](): string {
    return "DurablePromise";
  }

  /** Whether it has been awaited or chained. */
  get isExecuted(): boolean {
    return this.#promise !== undefined;
  }
}
