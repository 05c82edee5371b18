//! Sending a generated request builder. A builder says what request it sends and how its response
//! reads ([`Operation`]); sending it, with or without the response's status and headers, is
//! written once here. The futures are generic over the output type only, not over the operation,
//! so an API's hundreds of operations share a handful of compiled state machines.

use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;

use super::{Error, ErrorBody, Request, Response, ResponseValue, Transport};
use crate::xml::FromXml;

/// What a call returns once sent: a boxed future, as `IntoFuture` needs a nameable type.
pub type Sending<'a, T, E> = Pin<Box<dyn Future<Output = Result<T, Error<E>>> + Send + 'a>>;

/// What [`Operation::into_request`] returns.
pub type Built<'a, O> = Result<(&'a Transport, Request), Error<<O as Operation<'a>>::ErrorBody>>;

/// What [`Operation::read`] returns.
pub type Outcome<'a, O> = Result<<O as Operation<'a>>::Output, Error<<O as Operation<'a>>::ErrorBody>>;

/// A generated request builder, seen by the runtime.
pub trait Operation<'a>: Sized {
    /// What a successful call returns.
    type Output: Send + 'a;
    /// The API's error body type.
    type ErrorBody: ErrorBody + Send + 'a;

    /// The transport of the client the builder came from, and the request; an error when it
    /// cannot be built (a body that does not encode).
    fn into_request(self) -> Built<'a, Self>;

    /// The value of a response with a success status; any other status is `unexpected()`.
    fn read(response: &mut Response) -> Outcome<'a, Self>;
}

/// Sends the request; the decoded body.
pub fn send<'a, O: Operation<'a>>(operation: O) -> Sending<'a, O::Output, O::ErrorBody> {
    match operation.into_request() {
        Ok((transport, request)) => Box::pin(call(transport, request, O::read, |_, value| value)),
        Err(error) => Box::pin(std::future::ready(Err(error))),
    }
}

/// Sends the request; the decoded body with the response's status and headers.
pub fn send_with_response<'a, O: Operation<'a>>(operation: O) -> Sending<'a, ResponseValue<O::Output>, O::ErrorBody> {
    match operation.into_request() {
        Ok((transport, request)) => Box::pin(call(transport, request, O::read, Response::into_value)),
        Err(error) => Box::pin(std::future::ready(Err(error))),
    }
}

type Read<T, E> = fn(&mut Response) -> Result<T, Error<E>>;

/// One call: sent, its body read by `read`, the outcome shaped by `finish`.
///
/// This future is boxed and moved on every call, so it is kept small: it holds the request once
/// (an `async fn` would also keep its arguments apart from the body's copies of them), and waits
/// on the transport's future directly.
#[expect(clippy::manual_async_fn, reason = "an `async fn` would hold its arguments twice")]
fn call<'a, T: 'a, Out: 'a, E: ErrorBody + 'a>(
    transport: &'a Transport,
    request: Request,
    read: Read<T, E>,
    finish: fn(Response, T) -> Out,
) -> impl Future<Output = Result<Out, Error<E>>> + Send + 'a {
    async move {
        let mut response = transport.call(&request).await?;
        let value = read(&mut response)?;
        Ok(finish(response, value))
    }
}

impl Response {
    /// The body in the negotiated format (JSON or XML) when the status is `status`.
    pub fn body_if<T: DeserializeOwned + FromXml, E>(&self, status: u16) -> Result<T, Error<E>> {
        self.empty_if(status)?;
        self.body()
    }

    /// The JSON body when the status is `status`.
    pub fn json_if<T: DeserializeOwned, E>(&self, status: u16) -> Result<T, Error<E>> {
        self.empty_if(status)?;
        self.json()
    }

    /// The body as text when the status is `status`.
    pub fn text_if<E>(&self, status: u16) -> Result<String, Error<E>> {
        self.empty_if(status)?;
        self.text()
    }

    /// The file in the body when the status is `status`.
    pub fn download_if<E>(&mut self, status: u16) -> Result<super::Download, Error<E>> {
        self.empty_if(status)?;
        self.download()
    }

    /// Nothing to read, when the status is `status`; any other status is `unexpected()`.
    pub fn empty_if<E>(&self, status: u16) -> Result<(), Error<E>> {
        if self.status() == status {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }
}

/// The plumbing every generated request builder shares: `Debug` (the parameters, with
/// `name = redacted` ones shown as `***`), `send()`, `send_with_response()` and `IntoFuture`.
/// `$builder` implements [`Operation`].
#[macro_export]
macro_rules! request_builder {
    ($builder:ident { $($field:ident $(= $redacted:ident)?),* $(,)? }) => {
        impl ::std::fmt::Debug for $builder<'_> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($builder))
                    $(.field(stringify!($field), $crate::__shown!(self.$field $(, $redacted)?)))*
                    .finish_non_exhaustive()
            }
        }

        impl<'a> $builder<'a> {
            /// Sends the request.
            #[inline]
            pub fn send(
                self,
            ) -> $crate::client::Sending<
                'a,
                <Self as $crate::client::Operation<'a>>::Output,
                <Self as $crate::client::Operation<'a>>::ErrorBody,
            > {
                $crate::client::send(self)
            }

            /// Sends the request; the decoded body comes with the response's status and headers
            /// (`location()`, `header(name)`).
            #[inline]
            pub fn send_with_response(
                self,
            ) -> $crate::client::Sending<
                'a,
                $crate::client::ResponseValue<<Self as $crate::client::Operation<'a>>::Output>,
                <Self as $crate::client::Operation<'a>>::ErrorBody,
            > {
                $crate::client::send_with_response(self)
            }
        }

        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = ::std::result::Result<
                <Self as $crate::client::Operation<'a>>::Output,
                $crate::client::Error<<Self as $crate::client::Operation<'a>>::ErrorBody>,
            >;
            type IntoFuture = $crate::client::Sending<
                'a,
                <Self as $crate::client::Operation<'a>>::Output,
                <Self as $crate::client::Operation<'a>>::ErrorBody,
            >;
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                $crate::client::send(self)
            }
        }
    };
}

/// A builder field as `Debug` shows it: itself, or `***` when marked `redacted`.
#[doc(hidden)]
#[macro_export]
macro_rules! __shown {
    ($value:expr) => {
        &$value
    };
    ($value:expr, redacted) => {
        &$crate::Redacted
    };
}
