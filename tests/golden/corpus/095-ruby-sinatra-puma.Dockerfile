FROM ruby:2.7-slim
RUN gem install sinatra puma rackup
COPY app.rb config.ru /app/
WORKDIR /app
EXPOSE 4567
CMD ["rackup", "--host", "0.0.0.0", "-p", "4567"]
