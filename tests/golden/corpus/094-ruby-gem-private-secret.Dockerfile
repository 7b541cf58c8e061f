FROM ruby:3.3
WORKDIR /gem
COPY *.gemspec Gemfile Gemfile.lock ./
COPY lib/acme/version.rb lib/acme/
RUN --mount=type=secret,id=BUNDLE_GEMS__CONTRIBSYS__COM,env=BUNDLE_GEMS__CONTRIBSYS__COM \
    bundle install
COPY . .
RUN rake build && gem install pkg/*.gem
